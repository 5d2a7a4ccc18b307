using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using CnnDsl.Cli.Input;
using CnnDsl.Cli.Rendering;
using CnnDsl.Cli.Training;
using CnnDsl.Runtime.Data;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Training;
using CnnDsl.Runtime.Weights;
using Spectre.Console;

namespace CnnDsl.Cli.Commands;

/// <summary><c>cnn test FILE --model M --checkpoint CKPT --data DIR [--split test|train|val]
/// [--format text|csv|json]</c>: a trained model's top-1 and top-5 accuracy, per-class accuracy
/// and confusion matrix on the test images (a table, CSV or JSON, and a PNG beside the checkpoint).</summary>
public static class TestCommand
{
    /// <summary>Classes up to which the text output prints the whole confusion matrix.</summary>
    public const int MaxTextConfusion = 20;

    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The .cnn file that defines the model." };
        var model = new Option<string?>("--model", "-m") { Description = "The model (may be left out when the file has one).", HelpName = "NAME" };
        var checkpoint = new Option<string?>("--checkpoint", "-c") { Description = "The checkpoint to evaluate (from `cnn train`); or give --weights.", HelpName = "CKPT" };
        var weights = WeightOptions.Weights("PyTorch weights to evaluate instead of a checkpoint: a state_dict (.pth, .pt) or .safetensors file.");
        var dropAux = WeightOptions.DropAux();
        var classes = TrainingCli.Whole("--classes", "Build the model for N classes (its network's `classes` parameter), for --weights of another class count. A checkpoint of `cnn train --classes` needs no option: it remembers.", "N", 2);
        var data = new Option<string>("--data", "-d") { Description = "Folder of MNIST IDX files (its t10k-* files are the test digits), or an image folder (its test/ folder, or its class folders).", HelpName = "DIR", Required = true };
        var split = new Option<string>("--split")
        {
            Description = "Which images: test (t10k-* or test/, the default), val (val/) or train (train-* or train/).",
            HelpName = "test|val|train",
            DefaultValueFactory = _ => "test",
        };
        split.AcceptOnlyFromAmong("test", "val", "train");
        var format = new Option<string>("--format", "-f") { Description = "text (tables), csv (one row per class with its confusion row) or json.", HelpName = "text|csv|json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "csv", "json");
        var noPlots = new Option<bool>("--no-plots") { Description = "Do not draw the confusion matrix (NAME.confusion.png beside the checkpoint)." };
        var device = new Option<string>("--device") { Description = "cpu, or cuda (needs the CUDA build of libtorch).", HelpName = "cpu|cuda", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong("cpu", "cuda");
        var workers = TrainingCli.Whole("--workers", "Threads that decode images. Default: the cores libtorch does not use.", "N", 1, max: TrainingCli.MaxThreads);
        var resize = TrainingCli.Whole("--resize", "Image folders: resize each image's shorter side to S pixels, instead of what the checkpoint's training did.", "S", 1);
        var pad = TrainingCli.Whole("--pad", "Image folders: pad each image by P pixels, instead of what the checkpoint's training did (for a model trained on IDX digits, which are padded to its input).", "P", 0);
        var command = new Command("test", "Evaluate a trained model: top-1 and top-5 accuracy, loss, per-class accuracy and confusion matrix.")
        {
            file, model, checkpoint, data, split, format, noPlots, device, workers, resize, pad, weights, dropAux, classes,
        };
        command.SetAction(parse => Run(context, new Request(parse.GetValue(file)!, parse.GetValue(model), parse.GetValue(checkpoint), parse.GetValue(data)!, parse.GetValue(split) ?? "test")
        {
            Format = parse.GetValue(format) ?? "text",
            NoPlots = parse.GetValue(noPlots),
            Device = parse.GetValue(device) ?? "cpu",
            Workers = parse.GetValue(workers),
            Resize = parse.GetValue(resize),
            Pad = parse.GetValue(pad),
            Weights = parse.GetValue(weights),
            DropAux = parse.GetValue(dropAux),
            Classes = parse.GetValue(classes),
        }));
        return command;
    }

    /// <summary>The command line.</summary>
    public sealed record Request(string File, string? Model, string? Checkpoint, string Data, string Split)
    {
        /// <summary>PyTorch weights evaluated instead of a checkpoint, and whether to drop their auxiliary heads.</summary>
        public string? Weights { get; init; }
        public bool DropAux { get; init; }

        /// <summary>The class count to build the model for (<c>--classes</c>); null: as the checkpoint or the file says.</summary>
        public int? Classes { get; init; }
        public string Format { get; init; } = "text";
        public bool NoPlots { get; init; }
        public string Device { get; init; } = "cpu";
        public int? Workers { get; init; }
        public int? Resize { get; init; }
        public int? Pad { get; init; }
    }

    /// <summary>The older entry point: IDX digits, text output.</summary>
    public static int Run(CliContext context, string path, string? modelName, string checkpointPath, string dataFolder, MnistSplit split) =>
        Run(context, new Request(path, modelName, checkpointPath, dataFolder, split == MnistSplit.Train ? "train" : "test"));

    public static int Run(CliContext context, Request request)
    {
        var errors = context.ErrorPrinter;
        if ((request.Checkpoint is null) == (request.Weights is null))
        {
            errors.ToolError("give what to evaluate with exactly one of --checkpoint CKPT and --weights W.");
            return ExitCodes.Usage;
        }

        var (info, checkedFile, exit) = TrainingCli.LoadModel(context, request.File, request.Model, request.Classes);
        if (info is null) return exit;

        Checkpoint? checkpoint;
        DataFolder folder;
        try
        {
            checkpoint = request.Checkpoint is null ? null : Checkpoint.Load(request.Checkpoint);
            folder = DataFolder.Resolve(request.Data);
        }
        catch (IOException e) when (e is CheckpointException or ImageDataException)
        {
            errors.ToolError(e.Message);
            return ExitCodes.FileError;
        }

        if (request.Classes is null && checkpoint is not null && checkpoint.Info.Outputs > 0)
        {
            var (resized, resizeExit) = TrainingCli.Resize(context, checkedFile!, info, checkpoint.Info.Outputs, $"{request.Checkpoint} holds {checkpoint.Info.Model} trained for {TrainingCli.Count(checkpoint.Info.Outputs)} classes");
            if (resized is null) return resizeExit;
            info = resized;
        }

        if (folder.IsIdx && request.Split == "val")
        {
            errors.ToolError($"{request.Data} holds MNIST IDX files, which have no validation part; use --split test or --split train.");
            return ExitCodes.Usage;
        }

        if (!TrainingCli.EnsureTorch(context)) return ExitCodes.ExternalFailure;
        if (!TrainingCli.Fits(context, info, 1, training: false, "build and run it")) return ExitCodes.ExternalFailure;
        var threads = Determinism.Configure(1, 1);
        Classifier classifier;
        try
        {
            classifier = Classifier.For(new InterpretedModel(info), info);
            if (checkpoint is not null) checkpoint.LoadInto(classifier.Module, request.Checkpoint!, info.Name);
            else WeightLoader.Load(classifier.Module, info.Name, request.Weights!, new WeightLoadOptions { DropAuxiliaryHeads = request.DropAux }, WeightOptions.ModelsInFile(request.File).Select(WeightLayout.Of).ToList());
        }
        catch (IOException e) when (e is CheckpointException or WeightFileException)
        {
            errors.ToolError(e.Message);
            return ExitCodes.FileError;
        }
        catch (ArgumentException e)
        {
            errors.ToolError($"{info.Name} cannot be evaluated as a classifier: {e.Message}");
            return ExitCodes.Usage;
        }

        if (!TrainingCli.UseDevice(context, request.Device, classifier)) return ExitCodes.Usage;

        var classNames = Enumerable.Range(0, classifier.Classes).Select(i => checkpoint?.Info.ClassName(i) ?? i.ToString(CultureInfo.InvariantCulture)).ToList();
        Evaluation evaluation;
        string dataLine;
        try
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            if (folder.IsIdx)
            {
                var digits = MnistFolder.Load(request.Data, request.Split == "train" ? MnistSplit.Train : MnistSplit.Test);
                var (images, labels) = DigitTensors.Create(digits, classifier.Input);
                evaluation = Trainer.Evaluate(classifier, images, labels);
                dataLine = $"{(request.Split == "test" ? "Test" : "Training")} digits: {request.Data}: {digits.Describe()}; {DigitTensors.DescribeFit(digits.Rows, digits.Columns, classifier.Input)}";
            }
            else
            {
                var part = request.Split switch { "train" => DataPart.Train, "val" => DataPart.Validation, _ => DataPart.Test };
                var path = folder.Folder(part)
                    ?? throw new ImageDataException(request.Data, $"has no {(part == DataPart.Validation ? "val" : "test")}/ folder beside train/; choose --split train{(folder.Validation is null ? "" : ", val")}{(folder.Test is null ? "" : ", test")}");
                var problem = ImageDataLoader.InputProblem(info.Name, classifier.Input);
                if (problem is not null) throw new ArgumentException(problem);
                var spec = checkpoint?.Info.Data is { Format: DataSpec.Folder } folderSpec ? folderSpec : DataSpec.Digits with { Preprocessing = new ImagePreprocessing() };
                if (request.Resize is not null || request.Pad is not null)
                {
                    spec = spec with { Preprocessing = new ImagePreprocessing(request.Resize ?? spec.Preprocessing.Resize, request.Pad ?? spec.Preprocessing.Pad) };
                }

                var workers = request.Workers ?? ImageDataLoader.DefaultWorkers(threads);
                var set = ImageDataLoader.Load(context, path, classifier.Input, spec.Preprocessing, workers, ImageDataLoader.DefaultCacheMegabytes, classNames, path);
                evaluation = Trainer.Evaluate(classifier, new ImageBatches(set, (int)classifier.Input[1], (int)classifier.Input[2], null, spec.Normalization, workers));
                dataLine = $"{char.ToUpperInvariant(request.Split[0])}{request.Split.Substring(1)} images: {path}: {set.Describe()}; {ImageDataLoader.DescribeFit(set, classifier.Input, spec.Preprocessing)}, normalised with {spec.Normalization.Describe()}";
            }
        }
        catch (IOException e) when (e is IdxFormatException or ImageDataException)
        {
            errors.ToolError(e.Message);
            return ExitCodes.FileError;
        }
        catch (ArgumentException e)
        {
            errors.ToolError(e.Message);
            return ExitCodes.Usage;
        }

        string? plot = null;
        if (!request.NoPlots)
        {
            plot = TrainingPlots.ConfusionPath(request.Checkpoint ?? request.Weights!, request.Split);
            try
            {
                TrainingPlots.WriteConfusion(plot, $"{info.Name} on {request.Split}", evaluation, classNames);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                TrainingCli.Warn(context, $"cannot write {plot}: {e.Message}");
                plot = null;
            }
        }

        var o = context.Out;
        switch (request.Format)
        {
            case "json":
                o.Write(Json(info.Name, request, checkpoint, evaluation, classNames));
                return ExitCodes.Success;
            case "csv":
                o.Write(Csv(evaluation, classNames));
                return ExitCodes.Success;
        }

        var trained = checkpoint is null ? "weights" : checkpoint.Info.Epoch == 0 ? "untrained" : $"epoch {checkpoint.Info.Epoch}";
        o.WriteLine($"{info.Name} ({request.File}), {request.Checkpoint ?? request.Weights} ({trained})");
        o.WriteLine(dataLine);
        o.WriteLine($"Accuracy {TrainingCli.Percent(evaluation.Accuracy)} ({TrainingCli.Count(evaluation.Correct)} of {TrainingCli.Count(evaluation.Count)}), "
            + $"top-5 {TrainingCli.Percent(evaluation.Top5Accuracy)}, mean loss {TrainingCli.Loss(evaluation.Loss)}");
        o.WriteLine();
        var console = ConsoleFactory.Create(o, context.OutSettings);
        var what = folder.IsIdx ? "digits" : "classes";
        if (classifier.Classes <= MaxTextConfusion)
        {
            o.WriteLine($"Confusion matrix: rows are the true {what}, columns the predicted ones.");
            console.Write(ConfusionTable(evaluation, classNames));
        }
        else
        {
            o.WriteLine($"Accuracy per class ({classifier.Classes} classes: the whole confusion matrix is in --format csv or json{(plot is null ? "" : " and the picture")}).");
            console.Write(ClassTable(evaluation, classNames));
        }

        if (plot is not null) o.WriteLine($"Confusion matrix drawn: {plot}");
        return ExitCodes.Success;
    }

    /// <summary>The confusion matrix with each row's total and accuracy.</summary>
    public static Table ConfusionTable(Evaluation evaluation, IReadOnlyList<string>? classNames = null)
    {
        var classes = evaluation.Confusion.GetLength(0);
        string Name(int c) => classNames is not null && c < classNames.Count ? classNames[c] : c.ToString(CultureInfo.InvariantCulture);
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("true").RightAligned());
        for (var p = 0; p < classes; p++) table.AddColumn(new TableColumn(Markup.Escape(Name(p))).RightAligned());
        table.AddColumn(new TableColumn("total").RightAligned());
        table.AddColumn(new TableColumn("accuracy").RightAligned());
        var accuracy = evaluation.ClassAccuracy();
        for (var t = 0; t < classes; t++)
        {
            var cells = Enumerable.Range(0, classes).Select(p => evaluation.Confusion[t, p] == 0 ? "." : TrainingCli.Count(evaluation.Confusion[t, p]));
            table.AddRow(new[] { Name(t) }
                .Concat(cells)
                .Concat(new[] { TrainingCli.Count(evaluation.ClassTotal(t)), double.IsNaN(accuracy[t]) ? "-" : TrainingCli.Percent(accuracy[t]) })
                .Select(Markup.Escape).ToArray());
        }

        return table;
    }

    /// <summary>Per class: samples, correct, accuracy.</summary>
    public static Table ClassTable(Evaluation evaluation, IReadOnlyList<string> classNames)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("class");
        table.AddColumn(new TableColumn("samples").RightAligned());
        table.AddColumn(new TableColumn("correct").RightAligned());
        table.AddColumn(new TableColumn("accuracy").RightAligned());
        var accuracy = evaluation.ClassAccuracy();
        for (var c = 0; c < accuracy.Length; c++)
        {
            table.AddRow(Markup.Escape(classNames[c]), TrainingCli.Count(evaluation.ClassTotal(c)), TrainingCli.Count(evaluation.Confusion[c, c]),
                double.IsNaN(accuracy[c]) ? "-" : TrainingCli.Percent(accuracy[c]));
        }

        return table;
    }

    /// <summary>One row per true class: its name, samples, correct, accuracy, then how many went to each predicted class.</summary>
    public static string Csv(Evaluation evaluation, IReadOnlyList<string> classNames)
    {
        var n = evaluation.Confusion.GetLength(0);
        var text = new StringBuilder();
        text.Append("class,samples,correct,accuracy");
        for (var p = 0; p < n; p++) text.Append(",predicted:").Append(Field(classNames[p]));
        text.Append('\n');
        var accuracy = evaluation.ClassAccuracy();
        for (var t = 0; t < n; t++)
        {
            text.Append(Field(classNames[t])).Append(',').Append(evaluation.ClassTotal(t).ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(evaluation.Confusion[t, t].ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(double.IsNaN(accuracy[t]) ? "" : accuracy[t].ToString("R", CultureInfo.InvariantCulture));
            for (var p = 0; p < n; p++) text.Append(',').Append(evaluation.Confusion[t, p].ToString(CultureInfo.InvariantCulture));
            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Json(string model, Request request, Checkpoint? checkpoint, Evaluation evaluation, IReadOnlyList<string> classNames)
    {
        using var memory = new MemoryStream();
        using (var w = new Utf8JsonWriter(memory, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            if (request.Checkpoint is not null) w.WriteString("checkpoint", request.Checkpoint);
            else w.WriteString("weights", request.Weights);
            if (checkpoint is not null) w.WriteNumber("epoch", checkpoint.Info.Epoch);
            else w.WriteNull("epoch");
            w.WriteString("data", request.Data);
            w.WriteString("split", request.Split);
            w.WriteNumber("count", evaluation.Count);
            w.WriteNumber("correct", evaluation.Correct);
            w.WriteNumber("accuracy", evaluation.Accuracy);
            w.WriteNumber("top5Correct", evaluation.Top5Correct);
            w.WriteNumber("top5Accuracy", evaluation.Top5Accuracy);
            if (double.IsFinite(evaluation.Loss)) w.WriteNumber("loss", evaluation.Loss);
            else w.WriteNull("loss");
            w.WriteStartArray("classes");
            var accuracy = evaluation.ClassAccuracy();
            for (var c = 0; c < accuracy.Length; c++)
            {
                w.WriteStartObject();
                w.WriteString("name", classNames[c]);
                w.WriteNumber("samples", evaluation.ClassTotal(c));
                w.WriteNumber("correct", evaluation.Confusion[c, c]);
                if (double.IsNaN(accuracy[c])) w.WriteNull("accuracy");
                else w.WriteNumber("accuracy", accuracy[c]);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("confusion");
            for (var t = 0; t < accuracy.Length; t++)
            {
                w.WriteStartArray();
                for (var p = 0; p < accuracy.Length; p++) w.WriteNumberValue(evaluation.Confusion[t, p]);
                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(memory.ToArray()) + "\n";
    }

    private static string Field(string value) =>
        value.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}
