using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using CnnDsl.Runtime.Data;

namespace CnnDsl.Runtime.Training
{
    /// <summary>The metrics of one epoch as a checkpoint keeps them (no timings: a checkpoint's
    /// bytes depend only on the seed, the data and the options).</summary>
    public sealed record EpochRecord(int Epoch, double TrainLoss, double TrainAccuracy, double? ValidationLoss, double? ValidationAccuracy);

    /// <summary>Where a transferred checkpoint's weights came from.</summary>
    public sealed record TransferOrigin(string Checkpoint, string Model, int CopiedTensors, int TargetTensors, long CopiedElements, long TargetElements);

    /// <summary>What a checkpoint says about itself, stored as JSON inside it.</summary>
    public sealed record CheckpointInfo
    {
        /// <summary>The model's name in its .cnn file.</summary>
        public string Model { get; init; } = "";

        /// <summary>The .cnn file's name (no folder).</summary>
        public string Source { get; init; } = "";

        /// <summary>The declared input, channels x height x width.</summary>
        public long[] Input { get; init; } = Array.Empty<long>();

        public OutputKind Output { get; init; }

        /// <summary>Training epochs completed: 0 for freshly initialised or transferred weights.</summary>
        public int Epoch { get; init; }

        /// <summary>The options the epochs ran with; null if none ran.</summary>
        public TrainingOptions? Options { get; init; }

        /// <summary>Training and validation digits used.</summary>
        public int TrainCount { get; init; }
        public int ValidationCount { get; init; }

        /// <summary>Every epoch so far, in order.</summary>
        public IReadOnlyList<EpochRecord> History { get; init; } = Array.Empty<EpochRecord>();

        /// <summary>The epoch with the best validation accuracy so far (0: none yet).</summary>
        public int BestEpoch { get; init; }

        /// <summary>Set for weights made by <c>cnn transfer</c>.</summary>
        public TransferOrigin? TransferredFrom { get; init; }

        /// <summary>The model's outputs (one per class) when the weights were saved; 0 in
        /// checkpoints that predate it. A model trained with <c>--classes</c> is rebuilt at this
        /// count when the checkpoint is loaded.</summary>
        public int Outputs { get; init; }

        /// <summary>The class of each output, output 0 first (empty: digits, named by their index).</summary>
        public IReadOnlyList<string> ClassNames { get; init; } = Array.Empty<string>();

        /// <summary>How the training images were prepared; null for checkpoints that predate it (MNIST IDX digits).</summary>
        public DataSpec? Data { get; init; }

        /// <summary>The name of class <paramref name="index"/>: its folder's name, or the index.</summary>
        public string ClassName(int index) => index < ClassNames.Count ? ClassNames[index] : index.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The best epoch's record, if any.</summary>
        public EpochRecord? Best => History.FirstOrDefault(h => h.Epoch == BestEpoch);

        public string ToJson()
        {
            using var memory = new MemoryStream();
            using (var w = new Utf8JsonWriter(memory, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteString("format", "cnndsl-checkpoint");
                w.WriteString("model", Model);
                w.WriteString("source", Source);
                w.WriteStartArray("input");
                foreach (var size in Input) w.WriteNumberValue(size);
                w.WriteEndArray();
                w.WriteString("output", Output == OutputKind.Distances ? "distances" : "logits");
                if (Outputs > 0) w.WriteNumber("outputs", Outputs);
                w.WriteNumber("epoch", Epoch);
                if (Options is not null)
                {
                    w.WriteStartObject("options");
                    w.WriteNumber("epochs", Options.Epochs);
                    w.WriteNumber("batch", Options.BatchSize);
                    Finite(w, "lr", Options.LearningRate);
                    w.WriteString("optimizer", Options.Optimizer.ToString().ToLowerInvariant());
                    w.WriteString("schedule", Options.Schedule.ToString().ToLowerInvariant());
                    w.WriteNumber("shift", Options.Shift);
                    w.WriteNumber("momentum", Options.Momentum);
                    w.WriteNumber("weightDecay", Options.WeightDecay);
                    w.WriteNumber("valFraction", Options.ValidationFraction);
                    w.WriteNumber("stepSize", Options.StepSize);
                    w.WriteNumber("gamma", Options.Gamma);
                    w.WriteNumber("labelSmoothing", Options.LabelSmoothing);
                    w.WriteNumber("patience", Options.Patience);
                    w.WriteNumber("seed", Options.Seed);
                    w.WriteNumber("threads", Options.Threads);
                    w.WriteEndObject();
                }

                w.WriteNumber("trainCount", TrainCount);
                w.WriteNumber("validationCount", ValidationCount);
                w.WriteStartArray("history");
                foreach (var h in History)
                {
                    w.WriteStartObject();
                    w.WriteNumber("epoch", h.Epoch);
                    Finite(w, "trainLoss", h.TrainLoss);
                    Finite(w, "trainAccuracy", h.TrainAccuracy);
                    if (h.ValidationLoss is { } vl) Finite(w, "validationLoss", vl);
                    if (h.ValidationAccuracy is { } va) Finite(w, "validationAccuracy", va);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteNumber("bestEpoch", BestEpoch);
                if (TransferredFrom is { } t)
                {
                    w.WriteStartObject("transferredFrom");
                    w.WriteString("checkpoint", t.Checkpoint);
                    w.WriteString("model", t.Model);
                    w.WriteNumber("copiedTensors", t.CopiedTensors);
                    w.WriteNumber("targetTensors", t.TargetTensors);
                    w.WriteNumber("copiedElements", t.CopiedElements);
                    w.WriteNumber("targetElements", t.TargetElements);
                    w.WriteEndObject();
                }

                if (ClassNames.Count > 0)
                {
                    w.WriteStartArray("classes");
                    foreach (var name in ClassNames) w.WriteStringValue(name);
                    w.WriteEndArray();
                }

                Data?.Write(w);
                w.WriteEndObject();
            }

            return Encoding.UTF8.GetString(memory.ToArray());
        }

        public static CheckpointInfo FromJson(string json)
        {
            using var document = JsonDocument.Parse(json);
            var r = document.RootElement;
            if (r.GetProperty("format").GetString() != "cnndsl-checkpoint") throw new InvalidDataException("the metadata is not a CnnDsl checkpoint's");
            TrainingOptions? options = null;
            if (r.TryGetProperty("options", out var o))
            {
                options = new TrainingOptions
                {
                    Epochs = o.GetProperty("epochs").GetInt32(),
                    BatchSize = o.GetProperty("batch").GetInt32(),
                    LearningRate = Number(o.GetProperty("lr")),
                    Optimizer = Enum.Parse<OptimizerKind>(o.GetProperty("optimizer").GetString() ?? "", ignoreCase: true),
                    Schedule = Enum.Parse<LearningRateSchedule>(o.GetProperty("schedule").GetString() ?? "", ignoreCase: true),
                    Shift = o.GetProperty("shift").GetInt32(),
                    Momentum = o.GetProperty("momentum").GetDouble(),
                    WeightDecay = o.GetProperty("weightDecay").GetDouble(),
                    ValidationFraction = o.GetProperty("valFraction").GetDouble(),
                    Seed = o.GetProperty("seed").GetInt64(),
                    Threads = o.GetProperty("threads").GetInt32(),
                    StepSize = o.TryGetProperty("stepSize", out var step) ? step.GetInt32() : 0,
                    Gamma = o.TryGetProperty("gamma", out var gamma) ? gamma.GetDouble() : 0.1,
                    LabelSmoothing = o.TryGetProperty("labelSmoothing", out var smoothing) ? smoothing.GetDouble() : 0,
                    Patience = o.TryGetProperty("patience", out var patience) ? patience.GetInt32() : 0,
                };
            }

            TransferOrigin? origin = null;
            if (r.TryGetProperty("transferredFrom", out var t))
            {
                origin = new TransferOrigin(
                    t.GetProperty("checkpoint").GetString() ?? "",
                    t.GetProperty("model").GetString() ?? "",
                    t.GetProperty("copiedTensors").GetInt32(),
                    t.GetProperty("targetTensors").GetInt32(),
                    t.GetProperty("copiedElements").GetInt64(),
                    t.GetProperty("targetElements").GetInt64());
            }

            return new CheckpointInfo
            {
                Model = r.GetProperty("model").GetString() ?? "",
                Source = r.GetProperty("source").GetString() ?? "",
                Input = r.GetProperty("input").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
                Output = r.GetProperty("output").GetString() == "distances" ? OutputKind.Distances : OutputKind.Logits,
                Outputs = r.TryGetProperty("outputs", out var outputs) ? outputs.GetInt32() : 0,
                Epoch = r.GetProperty("epoch").GetInt32(),
                Options = options,
                TrainCount = r.GetProperty("trainCount").GetInt32(),
                ValidationCount = r.GetProperty("validationCount").GetInt32(),
                History = r.GetProperty("history").EnumerateArray().Select(h => new EpochRecord(
                    h.GetProperty("epoch").GetInt32(),
                    Number(h.GetProperty("trainLoss")),
                    Number(h.GetProperty("trainAccuracy")),
                    h.TryGetProperty("validationLoss", out var vl) ? Number(vl) : null,
                    h.TryGetProperty("validationAccuracy", out var va) ? Number(va) : null)).ToList(),
                BestEpoch = r.GetProperty("bestEpoch").GetInt32(),
                TransferredFrom = origin,
                ClassNames = r.TryGetProperty("classes", out var classes) ? classes.EnumerateArray().Select(c => c.GetString() ?? "").ToList() : Array.Empty<string>(),
                Data = r.TryGetProperty("data", out var data) ? DataSpec.Read(data) : null,
            };
        }

        /// <summary>JSON has no NaN or infinity: such a figure is written as null (and read back as NaN).</summary>
        private static void Finite(Utf8JsonWriter w, string name, double value)
        {
            if (double.IsFinite(value)) w.WriteNumber(name, value);
            else w.WriteNull(name);
        }

        private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble();
    }
}
