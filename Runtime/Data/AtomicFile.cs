using System;
using System.IO;

namespace CnnDsl.Runtime.Data
{
    /// <summary>Writes a file so that readers only ever see the old content or the complete new
    /// content: the bytes go to a temporary file in the same folder, which is flushed to disk and
    /// then renamed over the target (rename(2) replaces a file atomically on one file system). A
    /// failure or a kill before the rename leaves the old file as it was.</summary>
    public static class AtomicFile
    {
        /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>. If
        /// <paramref name="write"/> throws, the temporary file is deleted, the target is untouched
        /// and the exception propagates.</summary>
        /// <param name="path">The file to create or replace.</param>
        /// <param name="write">Writes the whole content to the stream it is given.</param>
        /// <param name="wrap">For tests: wraps the file stream (for example to fail part-way).</param>
        public static void Write(string path, Action<Stream> write, Func<Stream, Stream>? wrap = null)
        {
            ArgumentNullException.ThrowIfNull(path);
            ArgumentNullException.ThrowIfNull(write);
            var full = Path.GetFullPath(path);
            var directory = Path.GetDirectoryName(full)!;
            Directory.CreateDirectory(directory);
            RemoveAbandoned(full);
            var temp = TemporaryPath(full);
            try
            {
                using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    var target = wrap is null ? file : wrap(file);
                    write(target);
                    target.Flush();
                    file.Flush(flushToDisk: true);
                }

                File.Move(temp, full, overwrite: true);
            }
            catch
            {
                TryDelete(temp);
                throw;
            }
        }

        /// <summary>The name of the temporary file for a target: hidden, in the same folder, unique
        /// per write, so that two writers never share one.</summary>
        public static string TemporaryPath(string fullPath) =>
            Path.Combine(Path.GetDirectoryName(fullPath)!,
                $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

        /// <summary>Deletes the temporary files of earlier writes of <paramref name="fullPath"/>
        /// whose process no longer runs (killed between creating and renaming them). Files of a
        /// live process, this one included, are left alone.</summary>
        /// <returns>How many were deleted.</returns>
        public static int RemoveAbandoned(string fullPath)
        {
            var directory = Path.GetDirectoryName(fullPath)!;
            if (!Directory.Exists(directory)) return 0;
            var prefix = "." + Path.GetFileName(fullPath) + ".";
            var removed = 0;
            foreach (var temp in Directory.EnumerateFiles(directory, prefix + "*.tmp"))
            {
                var rest = Path.GetFileName(temp).Substring(prefix.Length);
                var dot = rest.IndexOf('.');
                if (dot <= 0 || !int.TryParse(rest.AsSpan(0, dot), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)) continue;
                if (pid == Environment.ProcessId || IsRunning(pid)) continue;
                if (TryDelete(temp)) removed++;
            }

            return removed;
        }

        private static bool IsRunning(int pid)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        private static bool TryDelete(string path)
        {
            try
            {
                File.Delete(path);
                return true;
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }
    }
}
