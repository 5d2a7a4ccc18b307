using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using CnnDsl.Runtime.Convolution;
using TorchSharp;

namespace CnnDsl.Runtime
{
    /// <summary>
    /// Checks once per process that TorchSharp's native backend loads, and turns a failure into
    /// a <see cref="TorchUnavailableException"/> whose message says what failed, why and what to do;
    /// then makes float32 convolutions right (<see cref="ConvolutionGuard"/>).
    /// </summary>
    public static class TorchRuntime
    {
        private const string RequiredGlibcxx = "GLIBCXX_3.4.32";

        private static readonly object Gate = new object();
        private static bool probed;
        private static string? failureMessage;
        private static Exception? failureCause;
        private static ConvolutionGuardReport? convolution;
        private static TorchUnavailableException? convolutionFailure;

        /// <summary>
        /// What the convolution guard found and did in this process; null before
        /// <see cref="EnsureAvailable"/> has succeeded.
        /// </summary>
        public static ConvolutionGuardReport? Convolution => Volatile.Read(ref probed) ? convolution : null;

        /// <summary>
        /// The first time it is called: loads libtorch by creating a small tensor, then runs the
        /// convolution self-test and, where libtorch's oneDNN computes float32 convolutions wrong,
        /// switches oneDNN off (<see cref="ConvolutionGuard"/>, a few milliseconds). Later calls
        /// return at once or throw again. Thread-safe.
        /// </summary>
        /// <exception cref="TorchUnavailableException">The native backend could not be loaded, or
        /// CNNDSL_CONVOLUTION holds an unknown value.</exception>
        /// <exception cref="ConvolutionFaultException">Convolutions are wrong and stay wrong.</exception>
        public static void EnsureAvailable()
        {
            if (!Volatile.Read(ref probed))
            {
                lock (Gate)
                {
                    if (!probed)
                    {
                        Probe();
                        if (failureMessage == null)
                        {
                            GuardConvolution();
                        }

                        Volatile.Write(ref probed, true);
                    }
                }
            }

            if (failureMessage != null)
            {
                throw new TorchUnavailableException(failureMessage, failureCause!);
            }

            if (convolutionFailure != null)
            {
                throw convolutionFailure;
            }
        }

        private static void GuardConvolution()
        {
            try
            {
                convolution = ConvolutionGuard.Apply();
            }
            catch (ConvolutionFaultException e)
            {
                convolution = e.Report;
                convolutionFailure = e;
            }
            catch (TorchUnavailableException e)
            {
                convolutionFailure = e;
            }
        }

        private static void Probe()
        {
            // When loading fails TorchSharp prints its whole load trace to standard output; the same
            // trace is in the inner exception, so it is kept off the console while probing.
            TextWriter console = Console.Out;
            try
            {
                Console.SetOut(TextWriter.Null);
                using torch.Tensor probe = torch.zeros(1);
            }
            catch (Exception e) when (IsLoadFailure(e))
            {
                failureCause = e;
                failureMessage = Explain(e);
            }
            finally
            {
                Console.SetOut(console);
            }
        }

        private static bool IsLoadFailure(Exception e) =>
            e is TypeInitializationException
            || e is DllNotFoundException
            || e is EntryPointNotFoundException
            || e is BadImageFormatException
            || e is NotSupportedException;

        private static string Explain(Exception e)
        {
            string? nativePath = FindLibTorchSharp();
            string? loaderError = nativePath == null ? null : LoaderError(nativePath);
            string what = loaderError != null
                ? "loading " + nativePath + " failed: " + LastLine(loaderError)
                : FirstLine(Innermost(e).Message);

            var message = new StringBuilder();
            message.Append("TorchSharp's native backend could not be loaded (").Append(what).Append("). ");

            if (what.Contains(RequiredGlibcxx, StringComparison.Ordinal))
            {
                message.Append("Why: libLibTorchSharp.so in TorchSharp 0.107.0 is built against GCC 13's libstdc++ and ")
                    .Append("asks for ").Append(RequiredGlibcxx).Append(", which this host's libstdc++.so.6 lacks ")
                    .Append("(Debian 12 ships GLIBCXX_3.4.30); it needs that version for one unused symbol only. ")
                    .Append("What to do: build the project that runs the model with dotnet build, so that the ")
                    .Append("CnnDsl.Runtime package's build step (in this repository: build/TorchSharpNative.targets, ")
                    .Append("imported by its .csproj) marks that requirement weak in the build output, and run the built output (not a copy taken before the build, not the ")
                    .Append("NuGet cache); or install a libstdc++ that provides ").Append(RequiredGlibcxx).Append('.');
            }
            else if (nativePath == null || what.Contains("cannot open shared object file", StringComparison.Ordinal))
            {
                message.Append("Why: the libtorch native libraries are not beside TorchSharp.dll (")
                    .Append(TorchSharpDirectory() ?? "location unknown")
                    .Append("): the project that runs the model references no native backend package. ")
                    .Append("What to do: add a backend to that project (dotnet add package libtorch-cpu-linux-x64 --version 2.10.0; ")
                    .Append("in this repository: import build/TorchSharpNative.targets in its .csproj), then rebuild.");
            }
            else
            {
                message.Append("Why: the dynamic loader rejected ").Append(nativePath)
                    .Append(" or one of the libtorch libraries beside it. ")
                    .Append("What to do: rebuild the project that runs the model so the output holds the complete ")
                    .Append("libtorch-cpu-linux-x64 2.10.0 package (a package reference; in this repository: import ")
                    .Append("build/TorchSharpNative.targets in its .csproj), ")
                    .Append("and check that this host's libstdc++ provides ").Append(RequiredGlibcxx)
                    .Append(" or that the build marked it weak.");
            }

            return message.ToString();
        }

        private static string? TorchSharpDirectory()
        {
            string location = typeof(torch).Assembly.Location;
            return string.IsNullOrEmpty(location) ? null : Path.GetDirectoryName(location);
        }

        private static string? FindLibTorchSharp()
        {
            string? directory = TorchSharpDirectory();
            if (directory == null)
            {
                return null;
            }

            string fileName;
            string rid;
            if (OperatingSystem.IsLinux())
            {
                fileName = "libLibTorchSharp.so";
                rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
            }
            else if (OperatingSystem.IsMacOS())
            {
                fileName = "libLibTorchSharp.dylib";
                rid = "osx-arm64";
            }
            else
            {
                fileName = "LibTorchSharp.dll";
                rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "win-arm64" : "win-x64";
            }

            string[] candidates =
            {
                Path.Combine(directory, "runtimes", rid, "native", fileName),
                Path.Combine(directory, fileName),
            };
            foreach (string candidate in candidates)
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }

        // TorchSharp's own exception says only that a backend is missing; the dynamic loader's
        // message (for instance "version `GLIBCXX_3.4.32' not found") comes from loading the
        // library directly.
        private static string? LoaderError(string path)
        {
            try
            {
                NativeLibrary.Load(path);
                return null;
            }
            catch (DllNotFoundException e)
            {
                return e.Message;
            }
            catch (BadImageFormatException e)
            {
                return e.Message;
            }
        }

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null)
            {
                e = e.InnerException;
            }

            return e;
        }

        private static string FirstLine(string text)
        {
            string trimmed = text.Trim();
            int newline = trimmed.IndexOf('\n');
            string line = newline < 0 ? trimmed : trimmed.Substring(0, newline).TrimEnd();
            return line.TrimEnd('.');
        }

        // The runtime's DllNotFoundException puts the dynamic loader's own message (dlerror) on
        // its last line, after a generic hint.
        private static string LastLine(string text)
        {
            string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.Length == 0 ? text.Trim() : lines[lines.Length - 1].TrimEnd('.');
        }
    }
}
