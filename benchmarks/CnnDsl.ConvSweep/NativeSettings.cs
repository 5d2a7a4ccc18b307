using System;
using System.Runtime.InteropServices;

namespace CnnDsl.ConvSweep;

/// <summary>The engine settings a sweep can run under, applied by the process itself.</summary>
public static class NativeSettings
{
    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi)]
    private static extern int SetEnv(string name, string value, int overwrite);

    /// <summary>Puts a variable into the C environment (what libtorch's getenv sees); .NET's
    /// Environment.SetEnvironmentVariable changes only a managed copy on Unix.</summary>
    public static void SetNativeEnvironment(string name, string value)
    {
        if (SetEnv(name, value, 1) != 0) throw new InvalidOperationException($"setenv({name}) failed");
    }
}
