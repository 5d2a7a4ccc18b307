using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CnnDsl.Runtime.Data
{
    /// <summary>An output two runs must not write at once (a checkpoint, a log): the holder keeps
    /// a hidden lock file beside it (<c>.NAME.lock</c>) open with an exclusive lock (flock on
    /// Linux and macOS, a sharing mode on Windows). The operating system releases the lock when
    /// the process ends, however it ends; the file is deleted on <see cref="Dispose"/>.</summary>
    public sealed class OutputLock : IDisposable
    {
        private readonly List<FileStream> files;

        private OutputLock(List<FileStream> files) => this.files = files;

        /// <summary>Locks every path (all or none).</summary>
        /// <exception cref="OutputBusyException">Another process holds one of them.</exception>
        public static OutputLock Acquire(params string[] paths)
        {
            var held = new List<FileStream>();
            try
            {
                foreach (var path in paths.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
                {
                    var lockPath = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".lock");
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    try
                    {
                        held.Add(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));
                    }
                    catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
                    {
                        throw new OutputBusyException(path, e);
                    }
                }

                return new OutputLock(held);
            }
            catch
            {
                foreach (var file in held) file.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            foreach (var file in files) file.Dispose();
            files.Clear();
        }
    }

    /// <summary>Another process is writing the same output.</summary>
    public sealed class OutputBusyException : IOException
    {
        public OutputBusyException(string path, Exception inner)
            : base($"{path}: another run is writing it now; wait for it to finish, or choose another output", inner)
        {
            FilePath = path;
        }

        public string FilePath { get; }
    }

    /// <summary>Refuses an output that is one of the command's inputs (the .cnn file, a
    /// checkpoint read, a data file) or that two outputs share.</summary>
    public static class OutputPaths
    {
        /// <summary>A message naming the first clash, or null.</summary>
        /// <param name="outputs">(option, path) of each file to be written.</param>
        /// <param name="inputs">(what, path) of each file read; a folder stands for every file under it.</param>
        public static string? Clash(IEnumerable<(string Option, string Path)> outputs, IEnumerable<(string What, string Path)> inputs)
        {
            var inputList = inputs.Select(i => (i.What, Full: Resolve(i.Path))).ToList();
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (option, path) in outputs)
            {
                var full = Resolve(path);
                if (Directory.Exists(full)) return $"{option} {path} is a folder; give a file name";
                foreach (var (what, input) in inputList)
                {
                    if (full == input) return $"{option} {path} is {what}; it would be overwritten. Choose another {option}.";
                    if (Directory.Exists(input) && full.StartsWith(input.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    {
                        return $"{option} {path} is inside {what} ({input}); write it elsewhere.";
                    }
                }

                if (seen.TryGetValue(full, out var other)) return $"{option} {path} is also the file of {other}; give them different names.";
                seen[full] = option;
            }

            return null;
        }

        /// <summary>The full path, through symbolic links where the file exists.</summary>
        public static string Resolve(string path)
        {
            var full = Path.GetFullPath(path);
            try
            {
                var info = new FileInfo(full);
                if (info.Exists && info.LinkTarget is not null) return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
            }
            catch (IOException)
            {
            }

            return full;
        }
    }
}
