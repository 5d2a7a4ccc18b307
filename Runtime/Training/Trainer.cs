using System;
using System.Diagnostics;
using System.Linq;
using TorchSharp;

namespace CnnDsl.Runtime.Training
{
    /// <summary>One epoch's figures.</summary>
    public sealed record EpochMetrics(
        int Epoch,
        double TrainLoss,
        double TrainAccuracy,
        Evaluation? Validation,
        long Samples,
        TimeSpan Duration)
    {
        /// <summary>Training samples per second (forward, backward and step).</summary>
        public double SamplesPerSecond => Duration.TotalSeconds > 0 ? Samples / Duration.TotalSeconds : 0;

        public EpochRecord ToRecord() => new(Epoch, TrainLoss, TrainAccuracy, Validation?.Loss, Validation?.Accuracy);
    }

    /// <summary>Loss, accuracy and confusion matrix of a model on labelled data.</summary>
    public sealed record Evaluation(double Loss, long Correct, long Count, long[,] Confusion)
    {
        public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;

        /// <summary>Per true class: the fraction classified correctly (NaN for a class with no samples).</summary>
        public double[] ClassAccuracy() =>
            Enumerable.Range(0, Confusion.GetLength(0)).Select(c =>
            {
                long total = 0;
                for (var p = 0; p < Confusion.GetLength(1); p++) total += Confusion[c, p];
                return total == 0 ? double.NaN : (double)Confusion[c, c] / total;
            }).ToArray();
    }

    /// <summary>Told what training does, batch by batch; for progress displays.</summary>
    public interface ITrainingMonitor
    {
        void EpochStarted(int epoch, int epochs, long batches, long samples);

        /// <summary>After each batch: the running mean loss and accuracy of the epoch so far.</summary>
        void BatchCompleted(int epoch, long batch, long batches, long samplesSoFar, double runningLoss, double runningAccuracy, double samplesPerSecond);

        void EpochCompleted(EpochMetrics metrics, bool best);
    }

    /// <summary>
    /// Trains a <see cref="Classifier"/> with cross-entropy (on <c>-distances</c> for an RBF
    /// output), batch by batch through TorchSharp's <c>TensorDataset</c> and <c>DataLoader</c>,
    /// each epoch in an order drawn from a generator seeded for that epoch.
    /// </summary>
    public sealed class Trainer : IDisposable
    {
        private readonly Classifier model;
        private readonly TrainingOptions options;

        public Trainer(Classifier model, TrainingOptions options)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(options);
            var problem = options.Problem();
            if (problem is not null) throw new ArgumentException(problem, nameof(options));
            this.model = model;
            this.options = options;
            var parameters = model.Module.parameters();
            Optimizer = options.Optimizer switch
            {
                OptimizerKind.Sgd => torch.optim.SGD(parameters, options.LearningRate, options.Momentum, weight_decay: options.WeightDecay),
                _ => torch.optim.Adam(parameters, options.LearningRate, weight_decay: options.WeightDecay),
            };
        }

        public torch.optim.Optimizer Optimizer { get; }

        /// <summary>The learning rate the optimizer uses now (its first parameter group's).</summary>
        public double LearningRate => Optimizer.ParamGroups.First().LearningRate;

        public Classifier Model => model;

        /// <summary>One pass over the training data in the epoch's seeded order, then (if given) a
        /// validation pass. The model is left in evaluation mode.</summary>
        public EpochMetrics RunEpoch(int epoch, torch.Tensor images, torch.Tensor labels, torch.Tensor? validationImages = null, torch.Tensor? validationLabels = null, ITrainingMonitor? monitor = null)
        {
            var count = images.shape[0];
            if (count == 0) throw new ArgumentException("no training samples", nameof(images));
            var batches = (count + options.BatchSize - 1) / options.BatchSize;
            monitor?.EpochStarted(epoch, options.Epochs, batches, count);

            long[] order;
            using (var generator = new torch.Generator((ulong)Determinism.SeedFor(options.Seed, epoch, Determinism.Stream.Shuffle)))
            using (var permutation = torch.randperm(count, generator: generator))
            {
                order = permutation.data<long>().ToArray();
            }

            torch.manual_seed(Determinism.SeedFor(options.Seed, epoch, Determinism.Stream.Dropout));
            SetLearningRate(options.LearningRateAt(epoch));
            using var shifts = options.Shift > 0 ? new torch.Generator((ulong)Determinism.SeedFor(options.Seed, epoch, Determinism.Stream.Augmentation)) : null;
            model.Module.train();
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            long batch = 0;
            var clock = Stopwatch.StartNew();
            using (var dataset = torch.utils.data.TensorDataset(images, labels))
            using (var loader = torch.utils.data.DataLoader(dataset, options.BatchSize, order, drop_last: false, disposeBatch: true, disposeDataset: false))
            {
                foreach (var pair in loader)
                {
                    using var scope = torch.NewDisposeScope();
                    var x = shifts is null ? pair[0] : Shift(pair[0], options.Shift, shifts);
                    var y = pair[1];
                    Optimizer.zero_grad();
                    var logits = model.Logits(x);
                    var loss = torch.nn.functional.cross_entropy(logits, y);
                    loss.backward();
                    Optimizer.step();

                    var n = y.shape[0];
                    lossSum += loss.item<float>() * (double)n;
                    correct += logits.detach().argmax(1).eq(y).sum().item<long>();
                    seen += n;
                    batch++;
                    monitor?.BatchCompleted(epoch, batch, batches, seen, lossSum / seen, (double)correct / seen, seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9));
                }
            }

            clock.Stop();
            var validation = validationImages is null || validationLabels is null || validationImages.shape[0] == 0
                ? null
                : Evaluate(validationImages, validationLabels);
            return new EpochMetrics(epoch, lossSum / seen, (double)correct / seen, validation, seen, clock.Elapsed);
        }

        /// <summary>Sets the learning rate of every parameter group.</summary>
        public void SetLearningRate(double rate)
        {
            foreach (var group in Optimizer.ParamGroups) group.LearningRate = rate;
        }

        /// <summary>
        /// Moves each image of a batch [N, C, H, W] by its own random offset of at most
        /// <paramref name="shift"/> pixels in each direction (drawn from <paramref name="generator"/>),
        /// filling with the background (0 before standardisation). Two gathers, no per-image loop.
        /// </summary>
        public static torch.Tensor Shift(torch.Tensor batch, int shift, torch.Generator generator)
        {
            var (n, c, h, w) = (batch.shape[0], batch.shape[1], batch.shape[2], batch.shape[3]);
            var background = -Data.DigitTensors.Mean / Data.DigitTensors.StandardDeviation;
            var padded = torch.nn.functional.pad(batch, new long[] { shift, shift, shift, shift }, PaddingModes.Constant, background);
            var offsets = torch.randint(0, 2 * shift + 1, new long[] { 2, n }, generator: generator);
            var rows = offsets[0].unsqueeze(1) + torch.arange(h).unsqueeze(0);
            var columns = offsets[1].unsqueeze(1) + torch.arange(w).unsqueeze(0);
            var rowIndex = rows.view(n, 1, h, 1).expand(n, c, h, w + 2 * shift);
            var picked = padded.gather(2, rowIndex);
            var columnIndex = columns.view(n, 1, 1, w).expand(n, c, h, w);
            return picked.gather(3, columnIndex);
        }

        /// <summary>Loss, accuracy and confusion matrix, in evaluation mode without gradients.</summary>
        public Evaluation Evaluate(torch.Tensor images, torch.Tensor labels, int batchSize = 500) => Evaluate(model, images, labels, batchSize);

        /// <summary>Loss, accuracy and confusion matrix of any classifier.</summary>
        public static Evaluation Evaluate(Classifier model, torch.Tensor images, torch.Tensor labels, int batchSize = 500)
        {
            ArgumentNullException.ThrowIfNull(model);
            var classes = model.Classes;
            var confusion = new long[classes, classes];
            var count = images.shape[0];
            double lossSum = 0;
            long correct = 0;
            model.Module.eval();
            using var noGrad = torch.no_grad();
            for (long start = 0; start < count; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                var length = Math.Min(batchSize, count - start);
                var x = images.narrow(0, start, length);
                var y = labels.narrow(0, start, length);
                var logits = model.Logits(x);
                lossSum += torch.nn.functional.cross_entropy(logits, y, reduction: torch.nn.Reduction.Sum).item<float>();
                var predicted = logits.argmax(1).data<long>().ToArray();
                var truth = y.data<long>().ToArray();
                for (var i = 0; i < predicted.Length; i++)
                {
                    confusion[truth[i], predicted[i]]++;
                    if (truth[i] == predicted[i]) correct++;
                }
            }

            return new Evaluation(count == 0 ? 0 : lossSum / count, correct, count, confusion);
        }

        public void Dispose() => Optimizer.Dispose();
    }
}
