using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using CnnDsl.Runtime.Data;
using TorchSharp;

namespace CnnDsl.Runtime.Training
{
    /// <summary>What a training run produced.</summary>
    /// <param name="History">Every epoch, those of a resumed checkpoint first.</param>
    /// <param name="Epochs">The epochs this run trained.</param>
    /// <param name="FirstEpoch">The first epoch this run trained.</param>
    /// <param name="BestEpoch">The epoch with the best validation accuracy in the whole history (the last, without validation).</param>
    /// <param name="BestSaved">Whether this run wrote the best epoch's checkpoint: false when
    /// it resumed a run whose best epoch came before its last and no epoch since did better.</param>
    /// <param name="StoppedEarly">Whether early stopping ended the run before its last epoch.</param>
    public sealed record TrainingResult(
        IReadOnlyList<EpochRecord> History,
        IReadOnlyList<EpochMetrics> Epochs,
        int FirstEpoch,
        int BestEpoch,
        int TrainCount,
        int ValidationCount,
        int Threads,
        TimeSpan Duration,
        bool BestSaved = true,
        bool StoppedEarly = false)
    {
        public EpochRecord? Best => History.FirstOrDefault(h => h.Epoch == BestEpoch);
    }

    /// <summary>A run stopped on request (Ctrl-C) between two batches; the checkpoints hold the
    /// last completed epoch.</summary>
    public sealed class TrainingInterruptedException : OperationCanceledException
    {
        public TrainingInterruptedException(int lastCompletedEpoch, int interruptedEpoch)
            : base($"interrupted during epoch {interruptedEpoch}")
        {
            LastCompletedEpoch = lastCompletedEpoch;
            InterruptedEpoch = interruptedEpoch;
        }

        /// <summary>The last epoch whose checkpoint was written (0: none).</summary>
        public int LastCompletedEpoch { get; }

        public int InterruptedEpoch { get; }
    }

    /// <summary>
    /// The seed workflow for one model: train epoch by epoch, validate after each, and keep two
    /// checkpoints: the best epoch's (highest validation accuracy; without validation, the last)
    /// and the last epoch's (to resume from). Stops early when asked to and the validation loss
    /// has not improved for <see cref="TrainingOptions.Patience"/> epochs.
    /// </summary>
    public static class TrainingSession
    {
        /// <summary>Trains on MNIST digits in memory (the validation part is split off here).</summary>
        public static TrainingResult Run(
            Classifier model,
            LabeledImages data,
            TrainingOptions options,
            string source,
            string? bestPath = null,
            string? lastPath = null,
            Checkpoint? resume = null,
            ITrainingMonitor? monitor = null,
            CancellationToken cancel = default)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(data);
            ArgumentNullException.ThrowIfNull(options);
            if (data.Classes > model.Classes)
            {
                throw new ArgumentException($"{model.Name} has {model.Classes} outputs, fewer than the {data.Classes} classes of the data");
            }

            using var prepared = TrainingData.FromDigits(data, model, options);
            return Run(model, prepared, options, source, bestPath, lastPath, resume, monitor, cancel);
        }

        /// <summary>Runs the epochs after <paramref name="resume"/>'s (or from the first) up to
        /// <see cref="TrainingOptions.Epochs"/>.</summary>
        /// <param name="model">The model; build it after <see cref="Determinism.Configure"/> so its initial weights follow the seed.</param>
        /// <param name="data">The training and validation batches.</param>
        /// <param name="options">How to train.</param>
        /// <param name="source">The .cnn file's name, recorded in checkpoints.</param>
        /// <param name="bestPath">Where the best checkpoint goes (null: not saved).</param>
        /// <param name="lastPath">Where the last epoch's checkpoint goes (null: not saved).</param>
        /// <param name="resume">A checkpoint of this model to continue from: its weights, optimizer state and history.</param>
        /// <param name="monitor">Told of every batch and epoch.</param>
        /// <param name="cancel">Stops the run between two batches (<see cref="TrainingInterruptedException"/>).</param>
        /// <exception cref="CheckpointException">A checkpoint cannot be written, or the resumed one's optimizer state is damaged.</exception>
        /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
        public static TrainingResult Run(
            Classifier model,
            TrainingData data,
            TrainingOptions options,
            string source,
            string? bestPath = null,
            string? lastPath = null,
            Checkpoint? resume = null,
            ITrainingMonitor? monitor = null,
            CancellationToken cancel = default)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(data);
            ArgumentNullException.ThrowIfNull(options);
            if (data.ClassNames.Count > model.Classes)
            {
                throw new ArgumentException($"{model.Name} has {model.Classes} outputs, fewer than the {data.ClassNames.Count} classes of the data");
            }

            var threads = torch.get_num_threads();
            var clock = Stopwatch.StartNew();
            using var trainer = new Trainer(model, options, data.Spec.Normalization);
            var history = new List<EpochRecord>();
            var bestEpoch = 0;
            double? bestAccuracy = null;
            var firstEpoch = 1;
            var bestSaved = false;
            if (resume is not null)
            {
                resume.LoadInto(model.Module, modelName: model.Name);
                if (resume.Info.Options?.Optimizer == options.Optimizer) resume.RestoreOptimizer(trainer.Optimizer);
                history.AddRange(resume.Info.History);
                bestEpoch = resume.Info.BestEpoch;
                bestAccuracy = resume.Info.Best?.ValidationAccuracy;
                firstEpoch = resume.Info.Epoch + 1;
                if (bestPath is not null && resume.Info.Epoch > 0 && resume.Info.BestEpoch == resume.Info.Epoch)
                {
                    // The resumed weights are the best so far: the best checkpoint starts as them.
                    Save(resume, bestPath);
                    bestSaved = true;
                }
            }

            var epochs = new List<EpochMetrics>();
            var stoppedEarly = false;
            for (var epoch = firstEpoch; epoch <= options.Epochs; epoch++)
            {
                EpochMetrics metrics;
                try
                {
                    metrics = trainer.RunEpoch(epoch, data.Train, data.Validation, monitor, cancel);
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                    throw new TrainingInterruptedException(epoch - 1, epoch);
                }

                epochs.Add(metrics);
                history.Add(metrics.ToRecord());
                var accuracy = metrics.Validation?.Accuracy;
                var best = accuracy is null || bestAccuracy is null || accuracy > bestAccuracy;
                if (best)
                {
                    bestEpoch = epoch;
                    bestAccuracy = accuracy;
                }

                var info = new CheckpointInfo
                {
                    Model = model.Name,
                    Source = Path.GetFileName(source),
                    Input = model.Input,
                    Output = model.Output,
                    Outputs = model.Classes,
                    Epoch = epoch,
                    Options = options with { Threads = threads },
                    TrainCount = data.TrainCount,
                    ValidationCount = data.ValidationCount,
                    History = history.ToList(),
                    BestEpoch = bestEpoch,
                    ClassNames = data.ClassNames,
                    Data = data.Spec,
                };
                if (lastPath is not null || (best && bestPath is not null))
                {
                    var checkpoint = Checkpoint.Capture(model.Module, info, trainer.Optimizer);
                    if (lastPath is not null) Save(checkpoint, lastPath);
                    if (best && bestPath is not null)
                    {
                        Save(checkpoint, bestPath);
                        bestSaved = true;
                    }
                }

                monitor?.EpochCompleted(metrics, best);
                if (options.Patience > 0 && epoch < options.Epochs && EpochsWithoutImprovement(history) >= options.Patience)
                {
                    stoppedEarly = true;
                    break;
                }
            }

            return new TrainingResult(history, epochs, firstEpoch, bestEpoch, data.TrainCount, data.ValidationCount, threads, clock.Elapsed, bestSaved || bestPath is null, stoppedEarly);
        }

        /// <summary>Epochs since the lowest validation loss of the history (0 when the last epoch
        /// has it, or when there is no validation).</summary>
        public static int EpochsWithoutImprovement(IReadOnlyList<EpochRecord> history)
        {
            var losses = history.Where(h => h.ValidationLoss is not null).ToList();
            if (losses.Count == 0) return 0;
            var bestIndex = 0;
            for (var i = 1; i < losses.Count; i++)
            {
                if (losses[i].ValidationLoss < losses[bestIndex].ValidationLoss) bestIndex = i;
            }

            return losses.Count - 1 - bestIndex;
        }

        /// <summary>The training and validation parts (null when the fraction is 0).</summary>
        public static (LabeledImages Train, LabeledImages? Validation) Split(LabeledImages data, TrainingOptions options)
        {
            if (options.ValidationFraction <= 0) return (data, null);
            var (train, validation) = data.StratifiedSplit(
                options.ValidationFraction,
                (ulong)Determinism.SeedFor(options.Seed, 0, Determinism.Stream.ValidationSplit),
                "training",
                "validation");
            if (validation.Count == 0 || train.Count == 0)
            {
                throw new ArgumentException($"--val-fraction {options.ValidationFraction} of {data.Count} digits leaves {train.Count} to train on and {validation.Count} to validate");
            }

            return (train, validation);
        }

        private static void Save(Checkpoint checkpoint, string path)
        {
            try
            {
                checkpoint.Save(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CheckpointException(path, $"cannot be written: {e.Message}", e);
            }
        }
    }
}
