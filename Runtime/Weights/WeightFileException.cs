using System.IO;

namespace CnnDsl.Runtime.Weights
{
    /// <summary>A weights file that cannot be read, is refused (a pickle that names anything but
    /// tensors), or does not fit the model it is loaded into. The message names the file and the
    /// first problem, and where it can, what would fit.</summary>
    public sealed class WeightFileException : IOException
    {
        public WeightFileException(string message)
            : base(message)
        {
        }

        public WeightFileException(string message, System.Exception inner)
            : base(message, inner)
        {
        }
    }
}
