using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CnnDsl.Runtime.Data;
using TorchSharp;

namespace CnnDsl.Runtime.Training
{
    /// <summary>What a training run produced.</summary>
    public sealed record TrainingResult(
        IReadOnlyList<EpochRecord> History,
        IReadOnlyList<EpochMetrics> Epochs,
        int FirstEpoch,
        int BestEpoch,
        int TrainCount,
        int ValidationCount,
        int Threads,
        TimeSpan Duration)
    {
        public EpochRecord? Best => History.FirstOrDefault(h => h.Epoch == BestEpoch);
    }

    /// <summary>
    /// The seed workflow for one model: hold out a stratified validation part, fit the digits to
    /// the model's input, train epoch by epoch, validate after each, and keep two checkpoints: the
    /// best epoch's (highest validation accuracy; without validation, the last) and the last
    /// epoch's (to resume from).
    /// </summary>
    public static class TrainingSession
    {
        /// <summary>Runs the epochs after <paramref name="resume"/>'s (or from the first) up to
        /// <see cref="TrainingOptions.Epochs"/>.</summary>
        /// <param name="model">The model; build it after <see cref="Determinism.Configure"/> so its initial weights follow the seed.</param>
        /// <param name="data">All the training digits (the validation part is split off here).</param>
        /// <param name="options">How to train.</param>
        /// <param name="source">The .cnn file's name, recorded in checkpoints.</param>
        /// <param name="bestPath">Where the best checkpoint goes (null: not saved).</param>
        /// <param name="lastPath">Where the last epoch's checkpoint goes (null: not saved).</param>
        /// <param name="resume">A checkpoint of this model to continue from: its weights, optimizer state and history.</param>
        /// <param name="monitor">Told of every batch and epoch.</param>
        public static TrainingResult Run(
            Classifier model,
            LabeledImages data,
            TrainingOptions options,
            string source,
            string? bestPath = null,
            string? lastPath = null,
            Checkpoint? resume = null,
            ITrainingMonitor? monitor = null)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(data);
            ArgumentNullException.ThrowIfNull(options);
            if (data.Classes > model.Classes)
            {
                throw new ArgumentException($"{model.Name} has {model.Classes} outputs, fewer than the {data.Classes} classes of the data");
            }

            var (train, validation) = Split(data, options);
            var threads = torch.get_num_threads();
            var clock = Stopwatch.StartNew();
            using var scope = torch.NewDisposeScope();
            var (trainImages, trainLabels) = DigitTensors.Create(train, model.Input);
            var (validationImages, validationLabels) = validation is null ? (null, null) : DigitTensors.Create(validation, model.Input);

            using var trainer = new Trainer(model, options);
            var history = new List<EpochRecord>();
            var bestEpoch = 0;
            double? bestAccuracy = null;
            var firstEpoch = 1;
            if (resume is not null)
            {
                resume.LoadInto(model.Module, modelName: model.Name);
                if (resume.Info.Options?.Optimizer == options.Optimizer) resume.RestoreOptimizer(trainer.Optimizer);
                history.AddRange(resume.Info.History);
                bestEpoch = resume.Info.BestEpoch;
                bestAccuracy = resume.Info.Best?.ValidationAccuracy;
                firstEpoch = resume.Info.Epoch + 1;
            }

            var epochs = new List<EpochMetrics>();
            for (var epoch = firstEpoch; epoch <= options.Epochs; epoch++)
            {
                var metrics = trainer.RunEpoch(epoch, trainImages, trainLabels, validationImages, validationLabels, monitor);
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
                    Epoch = epoch,
                    Options = options with { Threads = threads },
                    TrainCount = train.Count,
                    ValidationCount = validation?.Count ?? 0,
                    History = history.ToList(),
                    BestEpoch = bestEpoch,
                };
                if (lastPath is not null || (best && bestPath is not null))
                {
                    var checkpoint = Checkpoint.Capture(model.Module, info, trainer.Optimizer);
                    if (lastPath is not null) checkpoint.Save(lastPath);
                    if (best && bestPath is not null) checkpoint.Save(bestPath);
                }

                monitor?.EpochCompleted(metrics, best);
            }

            return new TrainingResult(history, epochs, firstEpoch, bestEpoch, train.Count, validation?.Count ?? 0, threads, clock.Elapsed);
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
    }
}
