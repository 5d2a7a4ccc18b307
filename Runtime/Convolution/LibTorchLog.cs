using System;
using System.IO;
using System.Runtime.InteropServices;

namespace CnnDsl.Runtime.Convolution
{
    /// <summary>
    /// libtorch's C++ log threshold (c10's <c>FLAGS_caffe2_log_level</c>, what TORCH_CPP_LOG_LEVEL
    /// sets when libtorch starts). Without oneDNN every float32 convolution asks whether NNPACK
    /// is usable, and on CPUs NNPACK does not know libtorch 2.10 logs "Could not initialize
    /// NNPACK! Reason: Unsupported hardware." at each call.
    /// </summary>
    internal static class LibTorchLog
    {
        private const string LevelVariable = "FLAGS_caffe2_log_level";
        private const int Error = 2;

        /// <summary>Raises the threshold to errors, unless the user chose one with TORCH_CPP_LOG_LEVEL.
        /// Returns whether it did.</summary>
        public static bool HideWarnings()
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TORCH_CPP_LOG_LEVEL")))
            {
                return false;
            }

            string directory = Path.GetDirectoryName(LibTorchCpu.Path()) ?? ".";
            string c10 = Path.Combine(directory, "libc10.so");
            if (!NativeLibrary.TryLoad(File.Exists(c10) ? c10 : "libc10.so", out IntPtr library)
                || !NativeLibrary.TryGetExport(library, LevelVariable, out IntPtr level))
            {
                return false;
            }

            if (Marshal.ReadInt32(level) < Error)
            {
                Marshal.WriteInt32(level, Error);
            }

            return true;
        }
    }
}
