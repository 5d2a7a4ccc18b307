using System;

namespace CnnDsl.Runtime
{
    /// <summary>
    /// Thrown by <see cref="TorchRuntime.EnsureAvailable"/> when TorchSharp's native library
    /// (libtorch and libLibTorchSharp) cannot be loaded. The message says what failed, why, and
    /// what to do; <see cref="Exception.InnerException"/> is TorchSharp's own exception. Its
    /// subclass <see cref="Convolution.ConvolutionFaultException"/> says that libtorch loads but
    /// computes convolutions wrong.
    /// </summary>
    public class TorchUnavailableException : Exception
    {
        /// <summary>Creates the exception with a message.</summary>
        public TorchUnavailableException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with a message and the exception that caused it.</summary>
        public TorchUnavailableException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
