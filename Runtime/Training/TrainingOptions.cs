using System;
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

        /// <summary>PyTorch's <c>StepLR</c>: <c>lr * gamma^floor((e - 1) / step)</c>.</summary>
        Step,

        /// <summary>PyTorch's <c>OneCycleLR</c> (cosine, 30% rising), batch by batch: from
        /// <c>lr / 25</c> up to <c>lr</c>, then down to <c>lr / 250,000</c>. Only the rate cycles
        /// (PyTorch also cycles the momentum).</summary>
        OneCycle,
    }

    /// <summary>How to train: every choice that changes the result. The defaults are the recipe
    /// that takes the modern LeNet-5 past 98% on the 2,000 test digits in 10 epochs.</summary>
    public sealed record TrainingOptions
    {
        /// <summary>The largest learning rate accepted: far above any that trains (rates near it diverge at once).</summary>
        public const double MaxLearningRate = 10;

        /// <summary>The epoch to stop after (counted from the start, so a resumed run continues up to it).</summary>
        public int Epochs { get; init; } = 10;

        public int BatchSize { get; init; } = 16;

        public double LearningRate { get; init; } = 0.002;

        public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

        /// <summary>How the learning rate changes from epoch to epoch.</summary>
        public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Cosine;

        /// <summary>The step schedule's period in epochs (0: a third of the epochs).</summary>
        public int StepSize { get; init; }

        /// <summary>The step schedule's factor.</summary>
        public double Gamma { get; init; } = 0.1;

        /// <summary>Augmentation: each training image is moved by a random whole number of pixels,
        /// at most this many in each direction (0: none), with background filling in.</summary>
        public int Shift { get; init; } = 1;

        /// <summary>SGD's momentum (ignored by Adam).</summary>
        public double Momentum { get; init; } = 0.9;

        /// <summary>L2 weight decay, as the optimizers apply it.</summary>
        public double WeightDecay { get; init; }

        /// <summary>Cross-entropy's label smoothing while training (PyTorch's <c>label_smoothing</c>): the
        /// target puts 1 - s on the true class and s spread over all classes. Validation and test
        /// losses are without it.</summary>
        public double LabelSmoothing { get; init; }

        /// <summary>Early stopping: stop after this many epochs in a row without a lower validation
        /// loss (0: never).</summary>
        public int Patience { get; init; }

        /// <summary>The part of the training digits held out, stratified, to validate each epoch.</summary>
        public double ValidationFraction { get; init; } = 0.1;

        /// <summary>Seeds the initial weights, the validation split, each epoch's order and dropout.</summary>
        public long Seed { get; init; } = 1;

        /// <summary>Intra-op threads of libtorch (0: its default, one per core). Results are
        /// bit-identical for a given seed and thread count, and differ between thread counts; one
        /// thread (the default) makes a run repeat on any machine, and is the fastest for these
        /// small models wherever other work shares the cores (see docs/training.md).</summary>
        public int Threads { get; init; } = 1;

        /// <summary>The step schedule's period as used.</summary>
        public int EffectiveStepSize => StepSize > 0 ? StepSize : Math.Max(1, Epochs / 3);

        /// <summary>The learning rate of an epoch (1-based) under the schedule; for one-cycle,
        /// the rate at the start of the epoch.</summary>
        public double LearningRateAt(int epoch) => LearningRateAt(epoch, 0, 1);

        /// <summary>The learning rate of batch <paramref name="batch"/> (0-based) of
        /// <paramref name="batches"/> in an epoch (1-based). Only one-cycle changes within an epoch.</summary>
        public double LearningRateAt(int epoch, long batch, long batches) => Schedule switch
        {
            LearningRateSchedule.Cosine => LearningRate * 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / Epochs)),
            LearningRateSchedule.Step => LearningRate * Math.Pow(Gamma, (epoch - 1) / EffectiveStepSize),
            LearningRateSchedule.OneCycle => OneCycle((epoch - 1) * batches + batch, (long)Epochs * batches),
            _ => LearningRate,
        };

        /// <summary>A message saying what is wrong, or null.</summary>
        public string? Problem()
        {
            if (Epochs < 1 || Epochs > 100_000) return $"--epochs must be between 1 and 100,000, not {Epochs}";
            if (BatchSize < 1 || BatchSize > 65_536) return $"--batch must be between 1 and 65,536, not {BatchSize}";
            if (!(LearningRate > 0 && LearningRate <= MaxLearningRate)) return $"--lr must be greater than 0 and at most {MaxLearningRate.ToString(CultureInfo.InvariantCulture)}, not {F(LearningRate)}";
            if (!(ValidationFraction >= 0 && ValidationFraction < 1)) return $"--val-fraction must be at least 0 and less than 1, not {F(ValidationFraction)}";
            if (!(Momentum >= 0 && Momentum < 1)) return $"momentum must be in [0, 1), not {F(Momentum)}";
            if (!(WeightDecay >= 0 && WeightDecay <= 1)) return $"--weight-decay must be between 0 and 1, not {F(WeightDecay)}";
            if (!(LabelSmoothing >= 0 && LabelSmoothing < 1)) return $"--label-smoothing must be at least 0 and less than 1, not {F(LabelSmoothing)}";
            if (!(Gamma > 0 && Gamma <= 1)) return $"--gamma must be greater than 0 and at most 1, not {F(Gamma)}";
            if (StepSize < 0) return $"--step-size must not be negative, not {StepSize}";
            if (Patience < 0) return $"--patience must not be negative, not {Patience}";
            if (Shift < 0 || Shift > 8) return $"--shift must be between 0 and 8 pixels, not {Shift}";
            if (Threads < 0 || Threads > 256) return $"--threads must be between 0 and 256, not {Threads}";
            return null;
        }

        private double OneCycle(long step, long total)
        {
            var initial = LearningRate / 25;
            var final = initial / 1e4;
            var rising = 0.3 * total - 1;
            if (step <= rising)
            {
                return rising <= 0 ? LearningRate : Anneal(initial, LearningRate, step / rising);
            }

            var falling = total - 1 - rising;
            return falling <= 0 ? final : Anneal(LearningRate, final, Math.Min(1, (step - rising) / falling));
        }

        private static double Anneal(double from, double to, double fraction) => to + (from - to) / 2 * (1 + Math.Cos(Math.PI * fraction));

        private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }
}
