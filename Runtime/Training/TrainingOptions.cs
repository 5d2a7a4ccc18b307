using System.Globalization;

namespace CnnDsl.Runtime.Training
{
    /// <summary>The optimizers <c>cnn train</c> offers.</summary>
    public enum OptimizerKind
    {
        /// <summary>Stochastic gradient descent with momentum (<see cref="TrainingOptions.Momentum"/>).</summary>
        Sgd,

        /// <summary>Adam (Kingma and Ba, 2015) with PyTorch's defaults for the betas and epsilon.</summary>
        Adam,
    }

    /// <summary>How the learning rate changes over the epochs.</summary>
    public enum LearningRateSchedule
    {
        /// <summary>The same rate every epoch.</summary>
        Constant,

        /// <summary>Cosine annealing per epoch: epoch e of E runs at <c>lr * (1 + cos(pi * (e - 1) / E)) / 2</c>.</summary>
        Cosine,
    }

    /// <summary>How to train: every choice that changes the result. The defaults are the recipe
    /// that takes the modern LeNet-5 past 98% on the 2,000 test digits in 10 epochs.</summary>
    public sealed record TrainingOptions
    {
        /// <summary>The epoch to stop after (counted from the start, so a resumed run continues up to it).</summary>
        public int Epochs { get; init; } = 10;

        public int BatchSize { get; init; } = 16;

        public double LearningRate { get; init; } = 0.002;

        public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

        /// <summary>How the learning rate changes from epoch to epoch.</summary>
        public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Cosine;

        /// <summary>Augmentation: each training image is moved by a random whole number of pixels,
        /// at most this many in each direction (0: none), with background filling in.</summary>
        public int Shift { get; init; } = 1;

        /// <summary>SGD's momentum (ignored by Adam).</summary>
        public double Momentum { get; init; } = 0.9;

        /// <summary>L2 weight decay, as the optimizers apply it.</summary>
        public double WeightDecay { get; init; }

        /// <summary>The part of the training digits held out, stratified, to validate each epoch.</summary>
        public double ValidationFraction { get; init; } = 0.1;

        /// <summary>Seeds the initial weights, the validation split, each epoch's order and dropout.</summary>
        public long Seed { get; init; } = 1;

        /// <summary>Intra-op threads of libtorch (0: its default, one per core). Results are
        /// bit-identical for a given seed and thread count, and differ between thread counts; one
        /// thread (the default) makes a run repeat on any machine, and is the fastest for these
        /// small models wherever other work shares the cores (see docs/training.md).</summary>
        public int Threads { get; init; } = 1;

        /// <summary>The learning rate of an epoch (1-based) under the schedule.</summary>
        public double LearningRateAt(int epoch) => Schedule == LearningRateSchedule.Cosine
            ? LearningRate * 0.5 * (1 + System.Math.Cos(System.Math.PI * (epoch - 1) / Epochs))
            : LearningRate;

        /// <summary>A message saying what is wrong, or null.</summary>
        public string? Problem()
        {
            if (Epochs < 1) return $"--epochs must be at least 1, not {Epochs}";
            if (BatchSize < 1) return $"--batch must be at least 1, not {BatchSize}";
            if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) return $"--lr must be a positive number, not {LearningRate.ToString(CultureInfo.InvariantCulture)}";
            if (!(ValidationFraction >= 0 && ValidationFraction < 1)) return $"--val-fraction must be at least 0 and less than 1, not {ValidationFraction.ToString(CultureInfo.InvariantCulture)}";
            if (!(Momentum >= 0 && Momentum < 1)) return $"momentum must be in [0, 1), not {Momentum.ToString(CultureInfo.InvariantCulture)}";
            if (!(WeightDecay >= 0)) return $"weight decay must not be negative";
            if (Shift < 0 || Shift > 8) return $"--shift must be between 0 and 8 pixels, not {Shift}";
            if (Threads < 0) return $"--threads must not be negative, not {Threads}";
            return null;
        }
    }
}
