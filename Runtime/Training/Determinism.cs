using CnnDsl.Runtime.Data;
using TorchSharp;

namespace CnnDsl.Runtime.Training
{
    /// <summary>
    /// What makes a CPU training run repeatable bit for bit: a fixed thread count, the global generator seeded before the model is built, and one
    /// seed per epoch and purpose derived from the run's seed (so that an epoch's shuffle and
    /// dropout do not depend on how many random numbers earlier epochs drew, and a resumed run
    /// equals an uninterrupted one).
    /// </summary>
    /// <remarks>TorchSharp 0.107 marks <c>torch.use_deterministic_algorithms</c> obsolete ("not
    /// implemented"), so it cannot be turned on; it is not needed on the CPU, whose kernels
    /// reduce in a fixed order for a fixed thread count (the tests check two runs bit for bit).</remarks>
    public static class Determinism
    {
        /// <summary>The purposes an epoch draws random numbers for.</summary>
        public enum Stream
        {
            Shuffle = 1,
            Dropout = 2,
            ValidationSplit = 3,
            Augmentation = 4,
            SampleTransforms = 5,
        }

        /// <summary>Sets the thread count (0 keeps libtorch's) and seeds the global generator: call
        /// before building the model.</summary>
        /// <returns>The thread count in effect.</returns>
        public static int Configure(long seed, int threads)
        {
            TorchRuntime.EnsureAvailable();
            if (threads > 0) torch.set_num_threads(threads);
            torch.manual_seed(seed);
            return torch.get_num_threads();
        }

        /// <summary>The seed of one purpose in one epoch (epoch 0: before training).</summary>
        public static long SeedFor(long seed, int epoch, Stream stream) =>
            (long)(SplitMix64.Mix(SplitMix64.Mix((ulong)seed, (ulong)epoch), (ulong)stream) >> 1);
    }
}
