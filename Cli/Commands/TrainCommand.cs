using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using CnnDsl.Cli.Input;
using CnnDsl.Cli.Rendering;
using CnnDsl.Cli.Training;
using CnnDsl.Runtime.Data;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Training;
using CnnDsl.Runtime.Weights;

namespace CnnDsl.Cli.Commands;

/// <summary><c>cnn train FILE --model M --data DIR [--epochs N] [--batch B] [--lr X]
/// [--optimizer sgd|adam] [--schedule constant|cosine] [--shift P] [--val-fraction F] [--seed S] [--threads T]
/// [--out CKPT] [--resume CKPT]</c>:
/// trains a model of a .cnn file (built by the runtime interpreter) on MNIST IDX files, validating
/// each epoch and keeping the best checkpoint.</summary>
public static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The .cnn file that defines the model." };
        var model = new Option<string?>("--model", "-m") { Description = "The model to train (may be left out when the file has one).", HelpName = "NAME" };
        var data = new Option<string>("--data", "-d")
        {
            Description = "Folder of MNIST IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, ...), as `cnn data mnist` writes it; the full 60,000-digit files work too.",
            HelpName = "DIR",
            Required = true,
        };
        var epochs = TrainingCli.Whole("--epochs", "Train up to this epoch (a resumed run continues up to it). Default: 10.", "N", 1, "-e");
        var batch = TrainingCli.Whole("--batch", "Digits per batch. Default: 16.", "B", 1, "-b");
        var lr = TrainingCli.Decimal("--lr", "Learning rate (of the first epoch, with the cosine schedule). Default: 0.002 for adam, 0.01 for sgd.", "X", 0, double.PositiveInfinity, minInclusive: false);
        var optimizer = new Option<string?>("--optimizer") { Description = "adam (default) or sgd (with momentum 0.9).", HelpName = "sgd|adam" };
        optimizer.AcceptOnlyFromAmong("sgd", "adam");
        var schedule = new Option<string?>("--schedule") { Description = "Learning rate over the epochs: cosine (from --lr down to near 0 at the last epoch) or constant. Default: cosine.", HelpName = "constant|cosine" };
        schedule.AcceptOnlyFromAmong("constant", "cosine");
        var shift = TrainingCli.Whole("--shift", "Augmentation: move each training digit by up to P pixels in each direction, at random (0: none). Default: 1.", "P", 0);
        var valFraction = TrainingCli.Decimal("--val-fraction", "Part of the training digits held out (stratified) to validate each epoch; 0 for none. Default: 0.1.", "F", 0, 1);
        var seed = TrainingCli.Whole("--seed", "Seeds the initial weights, the validation split, the order of each epoch and dropout. Default: 1.", "S", 0);
        var threads = TrainingCli.Whole("--threads", "libtorch threads. Results are bit-identical for the same seed and thread count (and differ between counts). Default: 1.", "T", 1);
        var output = new Option<string?>("--out", "-o") { Description = "Where the best epoch's checkpoint goes (the last epoch's goes beside it as NAME.last.ckpt). Default: MODEL.ckpt.", HelpName = "CKPT" };
        var resume = new Option<string?>("--resume") { Description = "Continue from this checkpoint: its weights, optimizer state and history (a `cnn transfer` checkpoint starts at epoch 1).", HelpName = "CKPT" };
        var weights = WeightOptions.Weights("Fine-tune: start from these PyTorch weights (.pth, .pt, .safetensors); a classifier for another number of classes starts new.");
        var dropAux = WeightOptions.DropAux();

        var command = new Command("train", "Train a model on MNIST digits: a progress bar per epoch, validation after each, the best checkpoint kept.")
        {
            file, model, data, epochs, batch, lr, optimizer, schedule, shift, valFraction, seed, threads, output, resume, weights, dropAux,
        };
        command.SetAction(parse => Run(context, new Request(
            parse.GetValue(file)!, parse.GetValue(model), parse.GetValue(data)!,
            parse.GetValue(epochs), parse.GetValue(batch), parse.GetValue(lr), parse.GetValue(optimizer),
            parse.GetValue(schedule), parse.GetValue(shift), parse.GetValue(valFraction), parse.GetValue(seed), parse.GetValue(threads), parse.GetValue(output), parse.GetValue(resume),
            parse.GetValue(weights), parse.GetValue(dropAux))));
        return command;
    }

    /// <summary>The command line, with null for every option not given.</summary>
    public sealed record Request(
        string File, string? Model, string Data, int? Epochs, int? Batch, double? LearningRate, string? Optimizer,
        string? Schedule, int? Shift, double? ValidationFraction, int? Seed, int? Threads, string? Out, string? Resume,
        string? Weights = null, bool DropAux = false);

    public static int Run(CliContext context, Request request)
    {
        var errors = context.ErrorPrinter;
        var (info, exit) = TrainingCli.LoadModel(context, request.File, request.Model);
        if (info is null) return exit;
        if (request.Resume is not null && request.Weights is not null)
        {
            errors.ToolError("--resume continues a run and --weights starts one from pretrained weights: give one of them.");
            return ExitCodes.Usage;
        }

        Checkpoint? resume = null;
        if (request.Resume is not null)
        {
            try
            {
                resume = Checkpoint.Load(request.Resume);
            }
            catch (CheckpointException e)
            {
                errors.ToolError(e.Message);
                return ExitCodes.FileError;
            }

            // Checked against the analysis before anything is built or loaded.
            var mismatch = resume.FirstMismatch(info.StateDict().Select(t => (t.Key, t.Tensor.Shape)));
            if (mismatch is not null)
            {
                errors.ToolError(new CheckpointMismatchException(request.Resume, resume.Info.Model, info.Name, mismatch).Message);
                return ExitCodes.FileError;
            }
        }

        var options = Resolve(request, resume?.Info.Options);
        var problem = options.Problem();
        if (problem is not null)
        {
            errors.ToolError(problem);
            return ExitCodes.Usage;
        }

        if (resume is not null && resume.Info.Epoch >= options.Epochs)
        {
            errors.ToolError($"{request.Resume} has already trained {resume.Info.Epoch} epochs; ask for more with --epochs (more than {resume.Info.Epoch}).");
            return ExitCodes.Usage;
        }

        if (!TrainingCli.EnsureTorch(context)) return ExitCodes.ExternalFailure;

        LabeledImages digits;
        try
        {
            digits = MnistFolder.Load(request.Data, MnistSplit.Train);
        }
        catch (IdxFormatException e)
        {
            errors.ToolError(e.Message);
            return ExitCodes.FileError;
        }

        var threadCount = Determinism.Configure(options.Seed, options.Threads);
        options = options with { Threads = threadCount };
        Classifier classifier;
        try
        {
            classifier = Classifier.For(new InterpretedModel(info), info);
        }
        catch (ArgumentException e)
        {
            errors.ToolError($"{info.Name} cannot be trained as a digit classifier: {e.Message}");
            return ExitCodes.Usage;
        }

        if (classifier.Classes < LabeledImages.DigitClasses)
        {
            errors.ToolError($"{info.Name} has {classifier.Classes} outputs; classifying digits needs {LabeledImages.DigitClasses} (end the model with linear(10)).");
            return ExitCodes.Usage;
        }

        if (request.Weights is not null)
        {
            try
            {
                var report = FineTuning.Load(classifier.Module, info, request.Weights, WeightOptions.ModelsInFile(request.File), request.DropAux);
                context.Out.WriteLine($"Starting from {request.Weights}: {report.Loaded} tensors"
                    + (report.KeptInitialised.Count > 0 ? $"; new classifier ({string.Join(", ", report.KeptInitialised)}: another number of classes)" : ""));
            }
            catch (WeightFileException e)
            {
                errors.ToolError(e.Message);
                return ExitCodes.FileError;
            }
        }

        var bestPath = request.Out ?? info.Name + ".ckpt";
        var lastPath = TrainingCli.LastPath(bestPath);
        var (trainCount, validationCount) = Counts(digits.Count, options);
        var o = context.Out;
        o.WriteLine($"Training {info.Name} ({request.File}): {TrainingCli.Count(info.Parameters)} parameters, input {classifier.InputText}"
            + (classifier.Output == OutputKind.Distances ? ", RBF output (-distances used as logits)" : ""));
        o.WriteLine($"Data: {request.Data}: {TrainingCli.Count(digits.Count)} training digits: {TrainingCli.Count(trainCount)} to train, "
            + (validationCount == 0 ? "none held out to validate" : $"{TrainingCli.Count(validationCount)} held out to validate (stratified)")
            + $"; {DigitTensors.DescribeFit(digits.Rows, digits.Columns, classifier.Input)}");
        o.WriteLine($"Options: {options.Optimizer.ToString().ToLowerInvariant()}, lr {Invariant(options.LearningRate)}"
            + (options.Schedule == LearningRateSchedule.Cosine ? " (cosine)" : "")
            + $", batch {options.BatchSize}, " + (options.Shift > 0 ? $"shift {options.Shift}, " : "")
            + $"epochs {(resume is null ? "1" : (resume.Info.Epoch + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))}-{options.Epochs}, seed {options.Seed}, {threadCount} thread{(threadCount == 1 ? "" : "s")}"
            + (resume is null ? "" : $"; resuming {request.Resume} after epoch {resume.Info.Epoch}"));

        TrainingResult result;
        try
        {
            if (context.OutSettings.IsTerminal)
            {
                var console = LiveConsole.Create(context);
                result = EpochProgressBars.Run(console, monitor =>
                    TrainingSession.Run(classifier, digits, options, request.File, bestPath, lastPath, resume, monitor));
            }
            else
            {
                result = TrainingSession.Run(classifier, digits, options, request.File, bestPath, lastPath, resume, new EpochLines(o));
            }
        }
        catch (CheckpointException e)
        {
            errors.ToolError(e.Message);
            return ExitCodes.FileError;
        }
        catch (IOException e)
        {
            errors.ToolError($"cannot write the checkpoint: {e.Message}");
            return ExitCodes.FileError;
        }
        catch (ArgumentException e)
        {
            errors.ToolError(e.Message);
            return ExitCodes.Usage;
        }

        var best = result.Best;
        if (best?.ValidationAccuracy is { } accuracy)
        {
            o.WriteLine($"Best: epoch {best.Epoch}, validation accuracy {TrainingCli.Percent(accuracy)} (loss {TrainingCli.Loss(best.ValidationLoss ?? 0)}): {bestPath}");
        }
        else
        {
            o.WriteLine($"No validation (--val-fraction 0): the last epoch is kept: {bestPath}");
        }

        o.WriteLine($"Last epoch ({result.History[^1].Epoch}): {lastPath}. Trained {result.Epochs.Count} epoch{(result.Epochs.Count == 1 ? "" : "s")} in {TrainingCli.Duration(result.Duration)}.");
        o.WriteLine($"Test it: cnn test {request.File} --model {info.Name} --checkpoint {bestPath} --data {request.Data}");
        return ExitCodes.Success;
    }

    /// <summary>Each option: as given, else as the resumed checkpoint ran, else the default.</summary>
    public static TrainingOptions Resolve(Request request, TrainingOptions? previous)
    {
        var defaults = new TrainingOptions();
        var optimizer = request.Optimizer is null
            ? previous?.Optimizer ?? defaults.Optimizer
            : request.Optimizer == "sgd" ? OptimizerKind.Sgd : OptimizerKind.Adam;
        var lr = request.LearningRate
            ?? (previous is not null && previous.Optimizer == optimizer ? previous.LearningRate : optimizer == OptimizerKind.Sgd ? 0.01 : defaults.LearningRate);
        return new TrainingOptions
        {
            Epochs = request.Epochs ?? defaults.Epochs,
            BatchSize = request.Batch ?? previous?.BatchSize ?? defaults.BatchSize,
            LearningRate = lr,
            Optimizer = optimizer,
            Schedule = request.Schedule is null
                ? previous?.Schedule ?? defaults.Schedule
                : request.Schedule == "cosine" ? LearningRateSchedule.Cosine : LearningRateSchedule.Constant,
            Shift = request.Shift ?? previous?.Shift ?? defaults.Shift,
            Momentum = previous?.Momentum ?? defaults.Momentum,
            WeightDecay = previous?.WeightDecay ?? defaults.WeightDecay,
            ValidationFraction = request.ValidationFraction ?? previous?.ValidationFraction ?? defaults.ValidationFraction,
            Seed = request.Seed ?? previous?.Seed ?? defaults.Seed,
            Threads = request.Threads ?? previous?.Threads ?? defaults.Threads,
        };
    }

    private static (int Train, int Validation) Counts(int total, TrainingOptions options)
    {
        if (options.ValidationFraction <= 0) return (total, 0);
        var validation = (int)Math.Round(options.ValidationFraction * total, MidpointRounding.AwayFromZero);
        return (total - validation, validation);
    }

    private static string Invariant(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
