using System;
using System.IO;

namespace CnnDsl.Runtime.Data
{
    /// <summary>An image folder that cannot be used: missing, without class folders, with an
    /// empty class, with one class only, or with images smaller than the model's input. The
    /// message names the folder or file and says what to do.</summary>
    public sealed class ImageDataException : IOException
    {
        public ImageDataException(string path, string problem, Exception? inner = null)
            : base($"{path}: {problem}", inner)
        {
            FilePath = path;
            Problem = problem;
        }

        /// <summary>The folder or file the problem is in.</summary>
        public string FilePath { get; }

        /// <summary>What is wrong, without the path.</summary>
        public string Problem { get; }
    }
}
