using System;
using System.Linq;

namespace CnnDsl.Runtime.Training
{
    /// <summary>One epoch's figures.</summary>
    /// <param name="Epoch">The epoch, 1-based.</param>
    /// <param name="TrainLoss">Mean training loss (with label smoothing, if any).</param>
    /// <param name="TrainAccuracy">Fraction of training samples classified right while training.</param>
    /// <param name="Validation">The validation pass after the epoch, if any.</param>
    /// <param name="Samples">Training samples seen.</param>
    /// <param name="Duration">The training pass (without validation).</param>
    /// <param name="DataWait">Of <paramref name="Duration"/>, the time spent waiting for batches.</param>
    public sealed record EpochMetrics(
        int Epoch,
        double TrainLoss,
        double TrainAccuracy,
        Evaluation? Validation,
        long Samples,
        TimeSpan Duration,
        TimeSpan DataWait = default)
    {
        /// <summary>Training samples per second (forward, backward and step).</summary>
        public double SamplesPerSecond => Duration.TotalSeconds > 0 ? Samples / Duration.TotalSeconds : 0;

        /// <summary>The fraction of the training pass spent waiting for data, in [0, 1].</summary>
        public double DataWaitFraction => Duration.TotalSeconds > 0 ? Math.Min(1, DataWait.TotalSeconds / Duration.TotalSeconds) : 0;

        public EpochRecord ToRecord() => new(Epoch, TrainLoss, TrainAccuracy, Validation?.Loss, Validation?.Accuracy);
    }

    /// <summary>Loss, top-1 and top-5 accuracy and the confusion matrix of a model on labelled data.</summary>
    /// <param name="Loss">Mean cross-entropy (without label smoothing).</param>
    /// <param name="Correct">Samples whose most likely class is the true one.</param>
    /// <param name="Top5Correct">Samples whose true class is among the five most likely (all, with five classes or fewer).</param>
    /// <param name="Count">Samples.</param>
    /// <param name="Confusion">[true class, predicted class] counts.</param>
    public sealed record Evaluation(double Loss, long Correct, long Top5Correct, long Count, long[,] Confusion)
    {
        public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;

        public double Top5Accuracy => Count == 0 ? 0 : (double)Top5Correct / Count;

        /// <summary>Per true class: the fraction classified correctly (NaN for a class with no samples).</summary>
        public double[] ClassAccuracy() =>
            Enumerable.Range(0, Confusion.GetLength(0)).Select(c =>
            {
                var total = ClassTotal(c);
                return total == 0 ? double.NaN : (double)Confusion[c, c] / total;
            }).ToArray();

        /// <summary>The samples of a true class.</summary>
        public long ClassTotal(int trueClass)
        {
            long total = 0;
            for (var p = 0; p < Confusion.GetLength(1); p++) total += Confusion[trueClass, p];
            return total;
        }
    }

    /// <summary>Told what training does, batch by batch; for progress displays.</summary>
    public interface ITrainingMonitor
    {
        void EpochStarted(int epoch, int epochs, long batches, long samples);

        /// <summary>After each batch: the running mean loss and accuracy of the epoch so far.</summary>
        void BatchCompleted(int epoch, long batch, long batches, long samplesSoFar, double runningLoss, double runningAccuracy, double samplesPerSecond);

        void EpochCompleted(EpochMetrics metrics, bool best);
    }

    /// <summary>The loss stopped being a finite number: the learning rate is too high for the model.</summary>
    public sealed class TrainingDivergedException : Exception
    {
        public TrainingDivergedException(int epoch, long batch, long batches, double loss, double learningRate)
            : base($"training diverged at epoch {epoch}, batch {batch} of {batches}: the loss is {Describe(loss)} at learning rate {learningRate.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}; lower --lr")
        {
            Epoch = epoch;
            Batch = batch;
        }

        public int Epoch { get; }
        public long Batch { get; }

        private static string Describe(double loss) => double.IsNaN(loss) ? "NaN" : loss > 0 ? "infinite" : "-infinite";
    }
}
