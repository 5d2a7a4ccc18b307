using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading;
using CnnDsl.Cli.Input;
using CnnDsl.Cli.Training;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Runtime.Data;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Training;
using CnnDsl.Runtime.Weights;

namespace CnnDsl.Cli.Commands;

/// <summary><c>cnn train FILE --model M --data DIR [options]</c>: trains a model of a .cnn file
/// (built by the runtime interpreter) on MNIST IDX files or an image folder, validating each
/// epoch, keeping the best checkpoint, logging and plotting each epoch.</summary>
public static class TrainCommand
{
    /// <summary>The exit code after Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The .cnn file that defines the model." };
        var model = new Option<string?>("--model", "-m") { Description = "The model to train (may be left out when the file has one).", HelpName = "NAME" };
        var data = new Option<string>("--data", "-d")
        {
            Description = "Folder of MNIST IDX files (train-images-idx3-ubyte, ...) as `cnn data mnist` writes them, or an image folder: one sub-folder of images per class, or train/ (and val/, test/) holding such sub-folders.",
            HelpName = "DIR",
            Required = true,
        };
        var epochs = TrainingCli.Whole("--epochs", "Train up to this epoch (a resumed run continues up to it). Default: 10.", "N", 1, "-e");
        var batch = TrainingCli.Whole("--batch", "Images per batch. Default: 16.", "B", 1, "-b");
        var lr = TrainingCli.Decimal("--lr", "Learning rate (of the first epoch, with the cosine schedule; the peak, with one-cycle). At most 10. Default: 0.002 for adam, 0.01 for sgd.", "X", 0, double.PositiveInfinity, minInclusive: false);
        var optimizer = new Option<string?>("--optimizer") { Description = "adam (default) or sgd (with momentum 0.9).", HelpName = "sgd|adam" };
        optimizer.AcceptOnlyFromAmong("sgd", "adam");
        var schedule = new Option<string?>("--schedule") { Description = "Learning rate over the epochs: cosine (from --lr down to near 0), step (times --gamma every --step-size epochs), onecycle (up from lr/25 to lr in the first 30% of batches, then down) or constant. Default: cosine.", HelpName = "cosine|step|onecycle|constant" };
        schedule.AcceptOnlyFromAmong("constant", "cosine", "step", "onecycle");
        var stepSize = TrainingCli.Whole("--step-size", "The step schedule's period in epochs. Default: a third of --epochs.", "N", 1);
        var gamma = TrainingCli.Decimal("--gamma", "The step schedule's factor. Default: 0.1.", "G", 0, 1.0000001, minInclusive: false);
        var weightDecay = TrainingCli.Decimal("--weight-decay", "L2 weight decay. Default: 0.", "W", 0, 1.0000001);
        var labelSmoothing = TrainingCli.Decimal("--label-smoothing", "Cross-entropy's label smoothing while training. Default: 0.", "S", 0, 1);
        var patience = TrainingCli.Whole("--patience", "Early stopping: stop after N epochs in a row without a lower validation loss. Default: never.", "N", 1);
        var shift = TrainingCli.Whole("--shift", "Augmentation: move each training image by up to P pixels in each direction, at random (0: none). Default: 1 for IDX digits, 0 for image folders.", "P", 0);
        var valFraction = TrainingCli.Decimal("--val-fraction", "Part of the training images held out (stratified) to validate each epoch, when the data has no val/ folder; 0 for none. Default: 0.1.", "F", 0, 1);
        var seed = TrainingCli.Whole("--seed", "Seeds the initial weights, the validation split, the order of each epoch, augmentation and dropout. Default: 1.", "S", 0);
        var threads = TrainingCli.Whole("--threads", "libtorch threads. Results are bit-identical for the same seed and thread count (and differ between counts). Default: 1.", "T", 1, max: TrainingCli.MaxThreads);
        var device = new Option<string>("--device") { Description = "cpu, or cuda (needs the CUDA build of libtorch).", HelpName = "cpu|cuda", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong("cpu", "cuda");
        var output = new Option<string?>("--out", "-o") { Description = "Where the best epoch's checkpoint goes (the last epoch's goes beside it as NAME.last.ckpt, the curves as NAME.curves.png). Default: MODEL.ckpt.", HelpName = "CKPT" };
        var resume = new Option<string?>("--resume") { Description = "Continue from this checkpoint: its weights, optimizer state and history (a `cnn transfer` checkpoint starts at epoch 1).", HelpName = "CKPT" };
        var log = new Option<string?>("--log") { Description = "Write each epoch's figures to this file: CSV (.csv) or JSON lines (.jsonl).", HelpName = "FILE" };
        var noPlots = new Option<bool>("--no-plots") { Description = "Do not draw NAME.curves.png." };
        var images = new ImageOptions();
        var weights = WeightOptions.Weights("Fine-tune: start from these PyTorch weights (.pth, .pt, .safetensors); a classifier for another number of classes starts new.");
        var dropAux = WeightOptions.DropAux();
        var classes = TrainingCli.Whole("--classes", "Build the model for N classes: its network's `classes` parameter set to N (the file is not changed; the checkpoint remembers it). Fine-tuning ImageNet weights on 10 classes: --weights W --classes 10.", "N", 2);

        var command = new Command("train", "Train a model on MNIST digits or an image folder: a progress bar per epoch, validation after each, the best checkpoint kept, curves drawn.")
        {
            file, model, data, epochs, batch, lr, optimizer, schedule, stepSize, gamma, weightDecay, labelSmoothing, patience, shift, valFraction, seed, threads, device, output, resume, log, noPlots, weights, dropAux, classes,
        };
        foreach (var option in images.All) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var request = new Request(
                parse.GetValue(file)!, parse.GetValue(model), parse.GetValue(data)!,
                parse.GetValue(epochs), parse.GetValue(batch), parse.GetValue(lr), parse.GetValue(optimizer),
                parse.GetValue(schedule), parse.GetValue(shift), parse.GetValue(valFraction), parse.GetValue(seed), parse.GetValue(threads), parse.GetValue(output), parse.GetValue(resume))
            {
                StepSize = parse.GetValue(stepSize),
                Gamma = parse.GetValue(gamma),
                WeightDecay = parse.GetValue(weightDecay),
                LabelSmoothing = parse.GetValue(labelSmoothing),
                Patience = parse.GetValue(patience),
                Device = parse.GetValue(device) ?? "cpu",
                Log = parse.GetValue(log),
                NoPlots = parse.GetValue(noPlots),
                Images = images.Read(parse),
                Weights = parse.GetValue(weights),
                DropAux = parse.GetValue(dropAux),
                Classes = parse.GetValue(classes),
            };
            using var interrupt = new CtrlC();
            return Run(context, request, interrupt.Token);
        });
        return command;
    }

    /// <summary>The command line, with null for every option not given.</summary>
    public sealed record Request(
        string File, string? Model, string Data, int? Epochs, int? Batch, double? LearningRate, string? Optimizer,
        string? Schedule, int? Shift, double? ValidationFraction, int? Seed, int? Threads, string? Out, string? Resume)
    {
        /// <summary>PyTorch weights to start from (fine-tuning), and whether to drop their auxiliary heads.</summary>
        public string? Weights { get; init; }
        public bool DropAux { get; init; }

        /// <summary>The class count to build the model for (<c>--classes</c>); null: as its file says.</summary>
        public int? Classes { get; init; }

        public int? StepSize { get; init; }
        public double? Gamma { get; init; }
        public double? WeightDecay { get; init; }
        public double? LabelSmoothing { get; init; }
        public int? Patience { get; init; }
        public string Device { get; init; } = "cpu";
        public string? Log { get; init; }
        public bool NoPlots { get; init; }
        public ImageRequest Images { get; init; } = new(null, null, null, null, false, null, false, false, null, null, null, null);
    }

    public static int Run(CliContext context, Request request, CancellationToken cancel = default)
    {
        var errors = context.ErrorPrinter;
        var (info, checkedFile, exit) = TrainingCli.LoadModel(context, request.File, request.Model, request.Classes);
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

            if (request.Classes is null && resume.Info.Outputs > 0)
            {
                var (resized, resizeExit) = TrainingCli.Resize(context, checkedFile!, info, resume.Info.Outputs, $"{request.Resume} holds {resume.Info.Model} trained for {TrainingCli.Count(resume.Info.Outputs)} classes");
                if (resized is null) return resizeExit;
                info = resized;
            }

            // Checked against the analysis before anything is built or loaded.
            var mismatch = resume.FirstMismatch(info.StateDict().Select(t => (t.Key, t.Tensor.Shape)));
            if (mismatch is not null)
            {
                errors.ToolError(new CheckpointMismatchException(request.Resume, resume.Info.Model, info.Name, mismatch).Message);
                return ExitCodes.FileError;
            }
        }

        DataFolder dataFolder;
        try
        {
            dataFolder = DataFolder.Resolve(request.Data);
        }
        catch (ImageDataException e)
        {
            errors.ToolError(e.Message);
            return ExitCodes.FileError;
        }

        var options = Resolve(request, resume?.Info.Options, dataFolder.IsIdx);
        var problem = options.Problem() ?? request.Images.Augmentation.Problem() ?? request.Images.Preprocessing.Problem()
            ?? (request.Log is null ? null : TrainingLog.Problem(request.Log))
            ?? (dataFolder.IsIdx && request.Images.AnyFolderOption ? $"{request.Data} holds MNIST IDX files; --resize, --pad, --mean, --std, --random-resized-crop, --crop-scale, --hflip, --vflip, --rotation, --jitter and --cache-mb apply to image folders (digits are fitted to the model's input, normalised with MNIST's mean and std, and take --shift)" : null);
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

        var bestPath = request.Out ?? info.Name + ".ckpt";
        var lastPath = TrainingCli.LastPath(bestPath);
        var curvesPath = request.NoPlots ? null : TrainingPlots.CurvesPath(bestPath);
        var outputs = new List<(string, string)> { ("--out", bestPath), ("the last epoch's checkpoint", lastPath) };
        if (curvesPath is not null) outputs.Add(("the curves", curvesPath));
        if (request.Log is not null) outputs.Add(("--log", request.Log));
        var clash = OutputPaths.Clash(outputs, new[] { ("the model's .cnn file", request.File), ("the data folder", request.Data) });
        if (clash is not null)
        {
            errors.ToolError(clash);
            return ExitCodes.Usage;
        }

        OutputLock outputLock;
        try
        {
            outputLock = OutputLock.Acquire(outputs.Select(o => o.Item2).ToArray());
        }
        catch (OutputBusyException e)
        {
            errors.ToolError(e.Message);
            return ExitCodes.FileError;
        }

        using (outputLock)
        {
            return Train(context, request, info, resume, dataFolder, options, bestPath, lastPath, curvesPath, cancel);
        }
    }

    private static int Train(CliContext context, Request request, ModelInfo info, Checkpoint? resume, DataFolder dataFolder, TrainingOptions options,
        string bestPath, string lastPath, string? curvesPath, CancellationToken cancel)
    {
        var errors = context.ErrorPrinter;
        if (!TrainingCli.EnsureTorch(context)) return ExitCodes.ExternalFailure;

        if (!TrainingCli.Fits(context, info, options.BatchSize, training: true, $"train at batch {options.BatchSize}")) return ExitCodes.ExternalFailure;
        var threadCount = Determinism.Configure(options.Seed, options.Threads);
        options = options with { Threads = threadCount };
        Classifier classifier;
        try
        {
            classifier = Classifier.For(new InterpretedModel(info), info);
        }
        catch (ArgumentException e)
        {
            errors.ToolError($"{info.Name} cannot be trained as a classifier: {e.Message}");
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

        if (!TrainingCli.UseDevice(context, request.Device, classifier)) return ExitCodes.Usage;

        TrainingData data;
        string dataLine;
        try
        {
            (data, dataLine) = dataFolder.IsIdx
                ? LoadDigits(context, request, classifier, options)
                : LoadFolder(context, request, dataFolder, classifier, options, threadCount);
        }
        catch (Exception e) when (e is IdxFormatException or ImageDataException)
        {
            errors.ToolError(e.Message);
            return ExitCodes.FileError;
        }
        catch (ArgumentException e)
        {
            errors.ToolError(e.Message);
            return ExitCodes.Usage;
        }

        using (data)
        {
            var classes = data.ClassNames.Count;
            if (classifier.Classes < classes)
            {
                errors.ToolError($"{info.Name} has {classifier.Classes} outputs but the data has {classes} classes; build it for them with --classes {classes} (its network's classes parameter), or end the model with linear({classes}).");
                return ExitCodes.Usage;
            }

            if (classifier.Classes > classes)
            {
                TrainingCli.Warn(context, $"{info.Name} has {TrainingCli.Count(classifier.Classes)} outputs for {classes} classes: {TrainingCli.Count(classifier.Classes - classes)} outputs are never the right answer and only cost time; "
                    + $"--classes {classes} builds it for them (its network's classes parameter).");
            }

            var o = context.Out;
            o.WriteLine($"Training {info.Name} ({request.File}): {TrainingCli.Count(info.Parameters)} parameters, input {classifier.InputText}"
                + (classifier.Output == OutputKind.Distances ? ", RBF output (-distances used as logits)" : "")
                + (request.Device == "cpu" ? "" : $", on {request.Device}"));
            o.WriteLine(dataLine);
            o.WriteLine($"Options: {options.Optimizer.ToString().ToLowerInvariant()}, lr {Invariant(options.LearningRate)}{ScheduleText(options)}"
                + $", batch {options.BatchSize}, " + (options.Shift > 0 ? $"shift {options.Shift}, " : "")
                + (options.WeightDecay > 0 ? $"weight decay {Invariant(options.WeightDecay)}, " : "")
                + (options.LabelSmoothing > 0 ? $"label smoothing {Invariant(options.LabelSmoothing)}, " : "")
                + (options.Patience > 0 ? $"patience {options.Patience}, " : "")
                + $"epochs {(resume is null ? 1 : resume.Info.Epoch + 1)}-{options.Epochs}, seed {options.Seed}, {threadCount} thread{(threadCount == 1 ? "" : "s")}"
                + (resume is null ? "" : $"; resuming {request.Resume} after epoch {resume.Info.Epoch}"));
            if (data.Spec.Format == DataSpec.Folder) o.WriteLine($"Augmentation: {data.Spec.Augmentation.Describe()}; normalised with {data.Spec.Normalization.Describe()}");

            TrainingLog? log = null;
            TrainingResult result;
            try
            {
                log = request.Log is null ? null : TrainingLog.Open(request.Log, append: resume is not null);
                var title = info.Name;
                if (context.OutSettings.IsTerminal)
                {
                    var console = LiveConsole.Create(context);
                    result = EpochProgressBars.Run(console, monitor =>
                        TrainingSession.Run(classifier, data, options, request.File, bestPath, lastPath, resume,
                            new RunRecorder(monitor, options, log, curvesPath, title, resume?.Info.History ?? Array.Empty<EpochRecord>(), resume?.Info.BestEpoch ?? 0), cancel));
                }
                else
                {
                    result = TrainingSession.Run(classifier, data, options, request.File, bestPath, lastPath, resume,
                        new RunRecorder(new EpochLines(o), options, log, curvesPath, title, resume?.Info.History ?? Array.Empty<EpochRecord>(), resume?.Info.BestEpoch ?? 0), cancel);
                }
            }
            catch (TrainingInterruptedException e)
            {
                o.WriteLine();
                var firstOfRun = (resume?.Info.Epoch ?? 0) + 1;
                if (e.LastCompletedEpoch < firstOfRun)
                {
                    o.WriteLine($"Interrupted during epoch {e.InterruptedEpoch}: no epoch of this run finished, nothing was written."
                        + (resume is null ? "" : $" Continue with the same command (--resume {request.Resume})."));
                }
                else
                {
                    o.WriteLine($"Interrupted during epoch {e.InterruptedEpoch}; {lastPath} holds epoch {e.LastCompletedEpoch}. Continue with:");
                    o.WriteLine($"  cnn train {request.File} --model {info.Name} --data {request.Data} --resume {lastPath} --out {bestPath} --epochs {options.Epochs}");
                }

                return Interrupted;
            }
            catch (TrainingDivergedException e)
            {
                errors.ToolError($"{e.Message} (it was {Invariant(options.LearningRate)}{(options.Schedule == LearningRateSchedule.Constant ? "" : " at its peak")}); "
                    + (e.Epoch > (resume?.Info.Epoch ?? 0) + 1 ? $"{lastPath} keeps epoch {e.Epoch - 1}." : "this run wrote no checkpoint."));
                return ExitCodes.Usage;
            }
            catch (CheckpointException e)
            {
                errors.ToolError(e.Message);
                return ExitCodes.FileError;
            }
            catch (ImageDataException e)
            {
                errors.ToolError(e.Message);
                return ExitCodes.FileError;
            }
            catch (IOException e)
            {
                errors.ToolError($"cannot write {request.Log ?? curvesPath ?? bestPath}: {e.Message}");
                return ExitCodes.FileError;
            }
            catch (ArgumentException e)
            {
                errors.ToolError(e.Message);
                return ExitCodes.Usage;
            }
            finally
            {
                log?.Dispose();
            }

            var best = result.Best;
            if (result.StoppedEarly)
            {
                o.WriteLine($"Stopped early after epoch {result.History[^1].Epoch}: no lower validation loss for {options.Patience} epoch{(options.Patience == 1 ? "" : "s")} (--patience).");
            }

            if (best?.ValidationAccuracy is { } accuracy)
            {
                var figures = $"epoch {best.Epoch}, validation accuracy {TrainingCli.Percent(accuracy)} (loss {TrainingCli.Loss(best.ValidationLoss ?? 0)})";
                o.WriteLine(result.BestSaved
                    ? $"Best: {figures}: {bestPath}"
                    : $"Best: {figures}, before this run; no epoch of this run did better, so {bestPath} was not written (the weights of epoch {best.Epoch} are wherever that run kept its best checkpoint).");
            }
            else
            {
                o.WriteLine($"No validation (--val-fraction 0): the last epoch is kept: {bestPath}");
            }

            o.WriteLine($"Last epoch ({result.History[^1].Epoch}): {lastPath}. Trained {result.Epochs.Count} epoch{(result.Epochs.Count == 1 ? "" : "s")} in {TrainingCli.Duration(result.Duration)}.");
            if (curvesPath is not null && result.Epochs.Count > 0) o.WriteLine($"Curves: {curvesPath}" + (request.Log is null ? "" : $"; log: {request.Log}"));
            else if (request.Log is not null) o.WriteLine($"Log: {request.Log}");
            if (result.BestSaved) o.WriteLine($"Test it: cnn test {request.File} --model {info.Name} --checkpoint {bestPath} --data {request.Data}");
            return ExitCodes.Success;
        }
    }

    private static (TrainingData Data, string Line) LoadDigits(CliContext context, Request request, Classifier classifier, TrainingOptions options)
    {
        var digits = MnistFolder.Load(request.Data, MnistSplit.Train);
        var data = TrainingData.FromDigits(digits, classifier, options);
        var (h, w) = (classifier.Input[1], classifier.Input[2]);
        var line = $"Data: {request.Data}: {TrainingCli.Count(digits.Count)} training digits: {TrainingCli.Count(data.TrainCount)} to train, "
            + (data.ValidationCount == 0 ? "none held out to validate" : $"{TrainingCli.Count(data.ValidationCount)} held out to validate (stratified)")
            + $"; {DigitTensors.DescribeFit(digits.Rows, digits.Columns, classifier.Input)}";
        if (h > 2 * digits.Rows || w > 2 * digits.Columns || h * 2 < digits.Rows)
        {
            TrainingCli.Warn(context, $"the digits are {digits.Rows}x{digits.Columns} and {classifier.Name} takes {classifier.InputText}: each is resized, and every step costs what a {classifier.InputText} image does; see the estimate after the first batches before a long run.");
        }

        return (data, line);
    }

    private static (TrainingData Data, string Line) LoadFolder(CliContext context, Request request, DataFolder folder, Classifier classifier, TrainingOptions options, int threads)
    {
        var input = classifier.Input;
        var problem = ImageDataLoader.InputProblem(classifier.Name, input);
        if (problem is not null) throw new ArgumentException(problem);
        var images = request.Images;
        var workers = images.Workers ?? ImageDataLoader.DefaultWorkers(threads);
        var cache = images.CacheMegabytes ?? ImageDataLoader.DefaultCacheMegabytes;
        var all = ImageDataLoader.Load(context, folder.Train!, input, images.Preprocessing, workers, cache, null, "training");
        ImageDataset train, validation;
        string held;
        if (folder.Validation is not null)
        {
            train = all;
            validation = ImageDataLoader.Load(context, folder.Validation, input, images.Preprocessing, workers, cache, all.ClassNames, "validation");
            held = $"{TrainingCli.Count(validation.Count)} in {folder.Validation} to validate";
        }
        else if (options.ValidationFraction > 0)
        {
            (train, validation) = all.StratifiedSplit(options.ValidationFraction, (ulong)Determinism.SeedFor(options.Seed, 0, Determinism.Stream.ValidationSplit), "training", "validation");
            if (train.Count == 0 || validation.Count == 0)
            {
                throw new ArgumentException($"--val-fraction {options.ValidationFraction} of {all.Count} images leaves {train.Count} to train on and {validation.Count} to validate");
            }

            held = $"{TrainingCli.Count(validation.Count)} held out to validate (stratified)";
        }
        else
        {
            (train, validation) = (all, all.Subset(Array.Empty<int>(), "validation"));
            held = "none held out to validate";
        }

        var normalization = images.Normalization ?? new Normalization(all.Mean.Select(m => Math.Round(m, 4)).ToArray(), all.Std.Select(s => Math.Round(Math.Max(s, 1e-4), 4)).ToArray());
        var normalizationProblem = normalization.Problem(input[0]);
        if (normalizationProblem is not null) throw new ArgumentException(normalizationProblem);
        var spec = new DataSpec(DataSpec.Folder, images.Preprocessing, normalization, images.Augmentation);
        var data = new TrainingData(
            new ImageBatches(train, (int)input[1], (int)input[2], images.Augmentation, normalization, workers),
            validation.Count == 0 ? null : new ImageBatches(validation, (int)input[1], (int)input[2], null, normalization, workers),
            all.ClassNames, spec);
        var cached = all.CachedCount == all.Count ? "all decoded once and kept in memory" : $"{TrainingCli.Count(all.CachedCount)} kept in memory, the rest decoded each epoch";
        var line = $"Data: {folder.Train}: {all.Describe()}: {TrainingCli.Count(train.Count)} to train, {held}; {ImageDataLoader.DescribeFit(all, input, images.Preprocessing)}; {cached} ({workers} worker{(workers == 1 ? "" : "s")})";
        var (sh, sw) = all.Smallest;
        if (sh > 4 * input[1] || sw > 4 * input[2])
        {
            TrainingCli.Warn(context, $"the smallest image is {sw}x{sh} and {classifier.Name} takes {classifier.InputText}: the centre crop keeps a small part of each image; --resize {Math.Max(input[1], input[2])} scales them down first.");
        }

        return (data, line);
    }

    /// <summary>Each option: as given, else as the resumed checkpoint ran, else the default.</summary>
    public static TrainingOptions Resolve(Request request, TrainingOptions? previous, bool digits = true)
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
                : Enum.Parse<LearningRateSchedule>(request.Schedule, ignoreCase: true),
            StepSize = request.StepSize ?? previous?.StepSize ?? defaults.StepSize,
            Gamma = request.Gamma ?? previous?.Gamma ?? defaults.Gamma,
            Shift = request.Shift ?? previous?.Shift ?? (digits ? defaults.Shift : 0),
            Momentum = previous?.Momentum ?? defaults.Momentum,
            WeightDecay = request.WeightDecay ?? previous?.WeightDecay ?? defaults.WeightDecay,
            LabelSmoothing = request.LabelSmoothing ?? previous?.LabelSmoothing ?? defaults.LabelSmoothing,
            Patience = request.Patience ?? previous?.Patience ?? defaults.Patience,
            ValidationFraction = request.ValidationFraction ?? previous?.ValidationFraction ?? defaults.ValidationFraction,
            Seed = request.Seed ?? previous?.Seed ?? defaults.Seed,
            Threads = request.Threads ?? previous?.Threads ?? defaults.Threads,
        };
    }

    private static string ScheduleText(TrainingOptions options) => options.Schedule switch
    {
        LearningRateSchedule.Cosine => " (cosine)",
        LearningRateSchedule.Step => $" (step: x{Invariant(options.Gamma)} every {options.EffectiveStepSize} epoch{(options.EffectiveStepSize == 1 ? "" : "s")})",
        LearningRateSchedule.OneCycle => " (one-cycle)",
        _ => "",
    };

    private static string Invariant(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Ctrl-C asks the run to stop between two batches (a second Ctrl-C ends the process).</summary>
    private sealed class CtrlC : IDisposable
    {
        private readonly CancellationTokenSource source = new();

        public CtrlC() => Console.CancelKeyPress += OnCancel;

        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            Console.CancelKeyPress -= OnCancel;
            source.Dispose();
        }

        private void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            if (source.IsCancellationRequested) return;
            e.Cancel = true;
            source.Cancel();
        }
    }
}
