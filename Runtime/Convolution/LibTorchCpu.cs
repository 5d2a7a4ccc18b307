using System.IO;
using System.Runtime.InteropServices;
using TorchSharp;

namespace CnnDsl.Runtime.Convolution
{
    /// <summary>Where libtorch's CPU library lies: beside TorchSharp.dll, in the runtime folder
    /// the native backend package puts it in.</summary>
    internal static class LibTorchCpu
    {
        public static string Path()
        {
            string directory = System.IO.Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? ".";
            string rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
            string[] candidates =
            {
                System.IO.Path.Combine(directory, "runtimes", rid, "native", "libtorch_cpu.so"),
                System.IO.Path.Combine(directory, "libtorch_cpu.so"),
            };
            foreach (string candidate in candidates)
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            // Not beside TorchSharp: let the loader search for it by name (it is already loaded).
            return "libtorch_cpu.so";
        }
    }
}
