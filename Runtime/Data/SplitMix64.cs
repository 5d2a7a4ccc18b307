namespace CnnDsl.Runtime.Data
{
    /// <summary>SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fully specified generator, so
    /// that data splits and shuffles are the same on every machine and .NET version
    /// (<see cref="System.Random"/> with a seed promises no such thing).</summary>
    public sealed class SplitMix64
    {
        private ulong state;

        public SplitMix64(ulong seed) => state = seed;

        /// <summary>The next 64 random bits.</summary>
        public ulong Next()
        {
            unchecked
            {
                state += 0x9E3779B97F4A7C15UL;
                var z = state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                return z ^ (z >> 31);
            }
        }

        /// <summary>A whole number in [0, bound), without modulo bias (Lemire's rejection method).</summary>
        public int Below(int bound)
        {
            if (bound <= 1) return 0;
            var b = (ulong)bound;
            var threshold = (0UL - b) % b;
            while (true)
            {
                var r = Next();
                var product = (System.UInt128)r * b;
                if ((ulong)product >= threshold) return (int)(ulong)(product >> 64);
            }
        }

        /// <summary>A number in [0, 1) with 53 random bits.</summary>
        public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

        /// <summary>A number drawn uniformly from [low, high).</summary>
        public double Uniform(double low, double high) => low + (high - low) * NextDouble();

        /// <summary>Shuffles in place (Fisher-Yates, from the end).</summary>
        public void Shuffle<T>(T[] items)
        {
            for (var i = items.Length - 1; i > 0; i--)
            {
                var j = Below(i + 1);
                (items[i], items[j]) = (items[j], items[i]);
            }
        }

        /// <summary>Mixes two values into one seed, so that one seed can give many independent
        /// streams (one per epoch, one per purpose).</summary>
        public static ulong Mix(ulong a, ulong b) => new SplitMix64(a ^ new SplitMix64(b).Next()).Next();
    }
}
