using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using CnnDsl.Runtime.Data;
using TorchSharp;

namespace CnnDsl.Runtime.Training
{
    /// <summary>
    /// Trains a <see cref="Classifier"/> with cross-entropy (on <c>-distances</c> for an RBF
    /// output), batch by batch from an <see cref="IBatchSource"/>, each epoch in an order drawn
    /// from a generator seeded for that epoch.
    /// </summary>
    public sealed class Trainer : IDisposable
    {
        private readonly Classifier model;
        private readonly TrainingOptions options;
        private readonly double[] shiftFill;

        /// <param name="model">The model (on its device).</param>
        /// <param name="options">How to train.</param>
        /// <param name="normalization">How the batches are normalised: a shift fills in the value
        /// a pixel of 0 takes (default: MNIST's).</param>
        public Trainer(Classifier model, TrainingOptions options, Normalization? normalization = null)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(options);
            var problem = options.Problem();
            if (problem is not null) throw new ArgumentException(problem, nameof(options));
            this.model = model;
            this.options = options;
            shiftFill = (normalization ?? Normalization.Mnist).ZeroLevel(model.Input[0]);
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

        /// <summary>One epoch on tensors in memory (images normalised, labels int64).</summary>
        public EpochMetrics RunEpoch(int epoch, torch.Tensor images, torch.Tensor labels, torch.Tensor? validationImages = null, torch.Tensor? validationLabels = null, ITrainingMonitor? monitor = null) =>
            RunEpoch(epoch, new TensorBatches(images, labels),
                validationImages is null || validationLabels is null ? null : new TensorBatches(validationImages, validationLabels), monitor);

        /// <summary>One pass over the training data in the epoch's seeded order, then (if given) a
        /// validation pass. The model is left in evaluation mode.</summary>
        /// <exception cref="TrainingDivergedException">The loss became NaN or infinite; the weights
        /// are those before the batch that diverged.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was set; the epoch is abandoned between two batches.</exception>
        public EpochMetrics RunEpoch(int epoch, IBatchSource train, IBatchSource? validation = null, ITrainingMonitor? monitor = null, CancellationToken cancel = default)
        {
            ArgumentNullException.ThrowIfNull(train);
            var count = train.Count;
            if (count == 0) throw new ArgumentException("no training samples", nameof(train));
            var batches = (count + options.BatchSize - 1) / options.BatchSize;
            monitor?.EpochStarted(epoch, options.Epochs, batches, count);

            long[] order;
            using (var generator = new torch.Generator((ulong)Determinism.SeedFor(options.Seed, epoch, Determinism.Stream.Shuffle)))
            using (var permutation = torch.randperm(count, generator: generator))
            {
                order = permutation.data<long>().ToArray();
            }

            torch.manual_seed(Determinism.SeedFor(options.Seed, epoch, Determinism.Stream.Dropout));
            SetLearningRate(options.LearningRateAt(epoch, 0, batches));
            using var shifts = options.Shift > 0 ? new torch.Generator((ulong)Determinism.SeedFor(options.Seed, epoch, Determinism.Stream.Augmentation)) : null;
            var augmentationSeed = (ulong)Determinism.SeedFor(options.Seed, epoch, Determinism.Stream.SampleTransforms);
            model.Module.train();
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            long batch = 0;
            var waiting = TimeSpan.Zero;
            var clock = Stopwatch.StartNew();
            using (var pairs = train.Batches(order, options.BatchSize, augmentationSeed).GetEnumerator())
            {
                while (true)
                {
                    cancel.ThrowIfCancellationRequested();
                    // The scope comes first: the source makes the batch's tensors in MoveNext.
                    using var scope = torch.NewDisposeScope();
                    var before = clock.Elapsed;
                    if (!pairs.MoveNext()) break;
                    waiting += clock.Elapsed - before;
                    var (images, labels) = pairs.Current;
                    var x = model.ToDevice(images);
                    var y = model.ToDevice(labels);
                    if (shifts is not null) x = Shift(x, options.Shift, shifts, shiftFill);
                    if (options.Schedule == LearningRateSchedule.OneCycle) SetLearningRate(options.LearningRateAt(epoch, batch, batches));
                    Optimizer.zero_grad();
                    var logits = model.Logits(x);
                    var loss = torch.nn.functional.cross_entropy(logits, y, label_smoothing: options.LabelSmoothing);
                    var value = loss.item<float>();
                    if (!float.IsFinite(value)) throw new TrainingDivergedException(epoch, batch + 1, batches, value, LearningRate);
                    loss.backward();
                    Optimizer.step();

                    var n = y.shape[0];
                    lossSum += value * (double)n;
                    correct += logits.detach().argmax(1).eq(y).sum().item<long>();
                    seen += n;
                    batch++;
                    monitor?.BatchCompleted(epoch, batch, batches, seen, lossSum / seen, (double)correct / seen, seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9));
                }
            }

            clock.Stop();
            var evaluation = validation is null || validation.Count == 0 ? null : Evaluate(model, validation);
            if (evaluation is not null && !double.IsFinite(evaluation.Loss))
            {
                throw new TrainingDivergedException(epoch, batches, batches, evaluation.Loss, LearningRate);
            }

            return new EpochMetrics(epoch, lossSum / seen, (double)correct / seen, evaluation, seen, clock.Elapsed, waiting);
        }

        /// <summary>Sets the learning rate of every parameter group.</summary>
        public void SetLearningRate(double rate)
        {
            foreach (var group in Optimizer.ParamGroups) group.LearningRate = rate;
        }

        /// <summary>
        /// Moves each image of a batch [N, C, H, W] by its own random offset of at most
        /// <paramref name="shift"/> pixels in each direction (drawn from <paramref name="generator"/>),
        /// filling with the background: MNIST's 0 after standardisation, or per channel
        /// <paramref name="fill"/>. Two gathers, no per-image loop.
        /// </summary>
        public static torch.Tensor Shift(torch.Tensor batch, int shift, torch.Generator generator, double[]? fill = null)
        {
            var (n, c, h, w) = (batch.shape[0], batch.shape[1], batch.shape[2], batch.shape[3]);
            fill ??= Normalization.Mnist.ZeroLevel(c);
            var uniform = fill.All(f => f == fill[0]);
            var padded = torch.nn.functional.pad(batch, new long[] { shift, shift, shift, shift }, PaddingModes.Constant, uniform ? fill[0] : 0);
            if (!uniform)
            {
                // Channels with different backgrounds: pad, then put each channel's value in the border.
                var inside = torch.nn.functional.pad(torch.ones(1, 1, h, w, device: batch.device), new long[] { shift, shift, shift, shift }, PaddingModes.Constant, 0).to_type(torch.ScalarType.Bool);
                var background = torch.tensor(fill.Select(f => (float)f).ToArray(), new long[] { 1, c, 1, 1 }, device: batch.device);
                padded = torch.where(inside, padded, background);
            }

            var offsets = torch.randint(0, 2 * shift + 1, new long[] { 2, n }, generator: generator).to(batch.device);
            var rows = offsets[0].unsqueeze(1) + torch.arange(h, device: batch.device).unsqueeze(0);
            var columns = offsets[1].unsqueeze(1) + torch.arange(w, device: batch.device).unsqueeze(0);
            var rowIndex = rows.view(n, 1, h, 1).expand(n, c, h, w + 2 * shift);
            var picked = padded.gather(2, rowIndex);
            var columnIndex = columns.view(n, 1, 1, w).expand(n, c, h, w);
            return picked.gather(3, columnIndex);
        }

        /// <summary>Loss, accuracy and confusion matrix, in evaluation mode without gradients.</summary>
        public Evaluation Evaluate(torch.Tensor images, torch.Tensor labels, int batchSize = 500) => Evaluate(model, images, labels, batchSize);

        /// <summary>Loss, accuracies and confusion matrix of any classifier on tensors in memory.</summary>
        public static Evaluation Evaluate(Classifier model, torch.Tensor images, torch.Tensor labels, int batchSize = 500) =>
            Evaluate(model, new TensorBatches(images, labels), batchSize);

        /// <summary>Loss (cross-entropy without smoothing), top-1 and top-5 accuracy and confusion
        /// matrix of any classifier, in evaluation mode without gradients, in the source's order.</summary>
        public static Evaluation Evaluate(Classifier model, IBatchSource source, int? batchSize = null)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(source);
            var classes = model.Classes;
            var confusion = new long[classes, classes];
            var count = source.Count;
            double lossSum = 0;
            long correct = 0;
            long top5 = 0;
            var k = Math.Min(5, classes);
            model.Module.eval();
            using var noGrad = torch.no_grad();
            var order = new long[count];
            for (long i = 0; i < count; i++) order[i] = i;
            using var pairs = source.Batches(order, batchSize ?? source.EvaluationBatchSize, 0).GetEnumerator();
            while (true)
            {
                using var scope = torch.NewDisposeScope();
                if (!pairs.MoveNext()) break;
                var (images, labels) = pairs.Current;
                var y = model.ToDevice(labels);
                var logits = model.Logits(model.ToDevice(images));
                lossSum += torch.nn.functional.cross_entropy(logits, y, reduction: torch.nn.Reduction.Sum).item<float>();
                var (_, best) = logits.topk(k, 1, true, true);
                top5 += best.eq(y.unsqueeze(1)).any(1).sum().item<long>();
                var predicted = logits.argmax(1).cpu().data<long>().ToArray();
                var truth = labels.data<long>().ToArray();
                for (var i = 0; i < predicted.Length; i++)
                {
                    confusion[truth[i], predicted[i]]++;
                    if (truth[i] == predicted[i]) correct++;
                }
            }

            return new Evaluation(count == 0 ? 0 : lossSum / count, correct, top5, count, confusion);
        }

        public void Dispose() => Optimizer.Dispose();
    }
}
