using System;
using System.IO;

namespace CnnDsl.Runtime.Data
{
    /// <summary>A data file that is missing or is not what it should be: a bad IDX header, a
    /// truncated file, labels that disagree with their images. The message names the file and
    /// says what is wrong; <see cref="FilePath"/> is the file.</summary>
    public sealed class IdxFormatException : IOException
    {
        public IdxFormatException(string filePath, string problem, Exception? inner = null)
            : base($"{filePath}: {problem}", inner)
        {
            FilePath = filePath;
            Problem = problem;
        }

        /// <summary>The file the problem is in.</summary>
        public string FilePath { get; }

        /// <summary>What is wrong, without the file name.</summary>
        public string Problem { get; }
    }
}
