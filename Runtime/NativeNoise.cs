using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.Win32.SafeHandles;

namespace CnnDsl.Runtime
{
    /// <summary>Keeps libtorch's chatter off the user's terminal. libtorch writes warnings straight
    /// to file descriptor 2 from C++ (<c>[W NNPACK.cpp:64] Could not initialize NNPACK! Reason:
    /// Unsupported hardware.</c>, once per convolution on some CPUs: hundreds of lines around a
    /// four-line result), where no .NET writer sees them. While a <see cref="Filter"/> is active,
    /// descriptor 2 is a pipe read by a thread that drops those lines and passes every other
    /// one, the program's own messages included, on to the real standard error, in order.
    /// On Linux (glibc); elsewhere nothing changes.</summary>
    public static class NativeNoise
    {
        private const int StandardError = 2;

        /// <summary>c10's log prefix: a letter for the level (W, I), then the source place,
        /// <c>[W NNPACK.cpp:64]</c> or <c>[W 1129 08:21:34.123 NNPACK.cpp:64]</c>.</summary>
        private static readonly Regex LibtorchLog = new(@"^\[[WI] [^\]]*\]", RegexOptions.CultureInvariant);

        /// <summary>Whether a line on standard error is libtorch's noise: a warning or information
        /// line of its logger, or NNPACK's complaint however it is prefixed.</summary>
        public static bool IsNoise(string line) =>
            LibtorchLog.IsMatch(line) || line.Contains("Could not initialize NNPACK", StringComparison.Ordinal);

        /// <summary>Starts filtering standard error; disposing stops it, passes on what is left
        /// and puts the real standard error back. <paramref name="target"/> is where filtered
        /// lines go (a copy of the current standard error by default).</summary>
        public static IDisposable Filter(int? target = null)
        {
            if (!OperatingSystem.IsLinux()) return new Nothing();
            try
            {
                return new Active(target);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or IOException)
            {
                return new Nothing();
            }
        }

        private sealed class Nothing : IDisposable
        {
            public void Dispose()
            {
            }
        }

        private sealed class Active : IDisposable
        {
            private readonly int _saved;
            private readonly Thread _reader;
            private int _disposed;

            public Active(int? target)
            {
                var fds = new int[2];
                if (Libc.pipe(fds) != 0) throw new IOException("pipe failed");
                _saved = Libc.dup(target ?? StandardError);
                Console.Error.Flush();
                if (_saved < 0 || Libc.dup2(fds[1], StandardError) < 0)
                {
                    Libc.close(fds[0]);
                    Libc.close(fds[1]);
                    throw new IOException("dup2 failed");
                }

                Libc.close(fds[1]);
                var readEnd = fds[0];
                _reader = new Thread(() => Pump(readEnd, _saved)) { IsBackground = true, Name = "native stderr filter" };
                _reader.Start();
            }

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
                Console.Error.Flush();
                // Putting descriptor 2 back closes the pipe's last write end: the reader sees its
                // end, passes on what it still holds, and stops.
                Libc.dup2(_saved, StandardError);
                _reader.Join(TimeSpan.FromSeconds(5));
                Libc.close(_saved);
            }

            private static void Pump(int readEnd, int target)
            {
                using var input = new StreamReader(new FileStream(new SafeFileHandle((IntPtr)readEnd, ownsHandle: true), FileAccess.Read, 1), Encoding.UTF8);
                using var output = new FileStream(new SafeFileHandle((IntPtr)target, ownsHandle: false), FileAccess.Write, 1);
                string? line;
                while ((line = input.ReadLine()) is not null)
                {
                    if (IsNoise(line)) continue;
                    var bytes = Encoding.UTF8.GetBytes(line + "\n");
                    output.Write(bytes, 0, bytes.Length);
                    output.Flush();
                }
            }
        }

        private static class Libc
        {
            private const string Library = "libc.so.6";

            [DllImport(Library, SetLastError = true)]
            public static extern int pipe(int[] fds);

            [DllImport(Library, SetLastError = true)]
            public static extern int dup(int fd);

            [DllImport(Library, SetLastError = true)]
            public static extern int dup2(int oldFd, int newFd);

            [DllImport(Library, SetLastError = true)]
            public static extern int close(int fd);
        }
    }
}
