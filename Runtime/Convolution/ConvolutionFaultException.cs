namespace CnnDsl.Runtime.Convolution
{
    /// <summary>
    /// Thrown by <see cref="TorchRuntime.EnsureAvailable"/> when libtorch computes float32
    /// convolutions wrong in this process and CnnDsl's remedy is off or did not help. The message
    /// says which convolution was wrong, by how much, and what to set.
    /// </summary>
    public sealed class ConvolutionFaultException : TorchUnavailableException
    {
        /// <summary>Creates the exception.</summary>
        public ConvolutionFaultException(string message, ConvolutionGuardReport report)
            : base(message)
        {
            Report = report;
        }

        /// <summary>The self-test results that led to the exception.</summary>
        public ConvolutionGuardReport Report { get; }
    }
}
