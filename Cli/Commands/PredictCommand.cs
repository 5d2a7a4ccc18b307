using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using CnnDsl.Cli.Input;
using CnnDsl.Cli.Training;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Text;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Prediction;
using CnnDsl.Runtime.Weights;
using TorchSharp;

namespace CnnDsl.Cli.Commands;

/// <summary><c>cnn predict FILE --model M --weights W (--image PATH | --tensor T) [--top K]
/// [--labels L] [--output Y.safetensors] [--resize N] [--drop-aux]</c>: runs a model of a .cnn file
/// with PyTorch weights on one image (torchvision's ImageNet preprocessing) or a saved tensor, and
/// prints the top classes.</summary>
public static class PredictCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The .cnn file that defines the model." };
        var model = CommonOptions.Model("The model (may be left out when the file has one).");
        var weights = WeightOptions.Weights("The weights: a PyTorch state_dict (.pth, .pt, from torch.save) or a .safetensors file.", required: true);
        var image = new Option<string?>("--image") { Description = "An image (JPEG, PNG, BMP, GIF, TGA, TIFF, WebP): resized, centre-cropped and normalised as torchvision's ImageNet models expect.", HelpName = "PATH" };
        var tensor = new Option<string?>("--tensor") { Description = "An input tensor instead of an image: a .safetensors (or .pth) file with one float32 tensor (or one named `input`), CxHxW or BxCxHxW.", HelpName = "T" };
        var top = TrainingCli.Whole("--top", "How many classes to list per sample. Default: 5.", "K", 1, "-k");
        var labels = new Option<string?>("--labels") { Description = "Class names, one per line in class order (default: the weights file's `labels` metadata, if any).", HelpName = "FILE" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the model's raw output (logits) to this .safetensors file, under the key `output`.", HelpName = "Y.safetensors" };
        var resize = TrainingCli.Whole("--resize", "Resize the image's shorter side to N pixels before the centre crop. Default: the crop's shorter side x 256/224 (256 for 224).", "N", 1);
        var mean = Channels("--mean", "Per-channel mean subtracted after scaling to [0, 1]. Default: ImageNet's 0.485,0.456,0.406 (none for one channel). "
            + "torchvision's pretrained GoogLeNet and Inception v3 (transform_input) expect 0.5,0.5,0.5.");
        var std = Channels("--std", "Per-channel standard deviation divided by. Default: ImageNet's 0.229,0.224,0.225. GoogLeNet and Inception v3 pretrained: 0.5,0.5,0.5.");
        var dropAux = WeightOptions.DropAux();
        var classes = TrainingCli.Whole("--classes", "Build the model for N classes (its network's `classes` parameter), for weights of another class count than the file's.", "N", 2);
        var engine = new Option<string>("--engine")
        {
            Description = "What computes the forward pass: torch (TorchSharp, in this process) or onnx (the model exported to ONNX and run by ONNX Runtime in a child process). Default: torch.",
            HelpName = "E",
            DefaultValueFactory = _ => "torch",
        };
        engine.AcceptOnlyFromAmong(OnnxEngine.Names);
        var command = new Command("predict", "Run a model with PyTorch weights on an image or a tensor and print its top classes.")
        {
            file, model, weights, image, tensor, top, labels, output, resize, mean, std, dropAux, classes, engine,
        };
        command.SetAction(parse => Run(context, new Request(
            parse.GetValue(file)!, parse.GetValue(model), parse.GetValue(weights)!, parse.GetValue(image), parse.GetValue(tensor),
            parse.GetValue(top) ?? 5, parse.GetValue(labels), parse.GetValue(output), parse.GetValue(resize), parse.GetValue(dropAux),
            NullIfEmpty(parse.GetValue(mean)), NullIfEmpty(parse.GetValue(std)), parse.GetValue(engine) ?? "torch")
        {
            Classes = parse.GetValue(classes),
        }));
        return command;
    }

    /// <summary>The command line.</summary>
    public sealed record Request(
        string File, string? Model, string Weights, string? Image, string? Tensor, int Top, string? Labels, string? Output, int? Resize, bool DropAux,
        double[]? Mean = null, double[]? Std = null, string Engine = "torch")
    {
        /// <summary>The class count to build the model for (<c>--classes</c>); null: as the file says.</summary>
        public int? Classes { get; init; }
    }

    public static int Run(CliContext context, Request request)
    {
        var errors = context.ErrorPrinter;
        if ((request.Image is null) == (request.Tensor is null))
        {
            errors.ToolError("give the input with exactly one of --image PATH and --tensor T.safetensors.");
            return ExitCodes.Usage;
        }

        var (info, _, exit) = TrainingCli.LoadModel(context, request.File, request.Model, request.Classes);
        if (info is null) return exit;
        ImagePreprocessing? preprocessing = null;
        if (request.Image is not null)
        {
            try
            {
                preprocessing = ImagePreprocessing.For(info.Input, request.Resize);
                foreach (var (given, option) in new[] { (request.Mean, "--mean"), (request.Std, "--std") })
                {
                    if (given is not null && given.Length != preprocessing.Channels)
                    {
                        throw new ArgumentException($"{option} gives {given.Length} values for {preprocessing.Channels} channels");
                    }
                }

                preprocessing = preprocessing with { Mean = request.Mean ?? preprocessing.Mean, Std = request.Std ?? preprocessing.Std };
            }
            catch (ArgumentException e)
            {
                errors.ToolError($"{info.Name}: {e.Message}; give it a tensor with --tensor.");
                return ExitCodes.Usage;
            }
        }

        if (!TrainingCli.EnsureTorch(context)) return ExitCodes.ExternalFailure;
        if (!TrainingCli.Fits(context, info, 1, training: false, "build and run it")) return ExitCodes.ExternalFailure;
        using var scope = torch.NewDisposeScope();
        using var module = new InterpretedModel(info);
        WeightLoadReport report;
        torch.Tensor input;
        try
        {
            report = module.LoadWeights(request.Weights, new WeightLoadOptions { DropAuxiliaryHeads = request.DropAux }, WeightOptions.ModelsInFile(request.File));
            input = preprocessing is not null ? preprocessing.Load(request.Image!) : ReadTensor(request.Tensor!);
        }
        catch (Exception e) when (e is WeightFileException or InvalidDataException or IOException)
        {
            errors.ToolError(e.Message);
            return ExitCodes.FileError;
        }

        var names = request.Labels is not null ? ReadLabels(context, request.Labels) : LabelsFrom(report.Metadata);
        if (request.Labels is not null && names is null) return ExitCodes.FileError;

        torch.Tensor logits;
        module.eval();
        try
        {
            using (torch.no_grad()) logits = request.Engine == "onnx" ? OnnxEngine.Forward(module, info, input) : module.forward(input);
        }
        catch (CnnDsl.Inference.OnnxProcessException e)
        {
            errors.ToolError($"{info.Name} on ONNX Runtime: {e.Message}");
            return ExitCodes.ExternalFailure;
        }
        catch (CnnDsl.Export.ExportException e)
        {
            errors.ToolError($"{info.Name} on ONNX Runtime: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or ArgumentException or InvalidOperationException)
        {
            errors.ToolError($"{info.Name} cannot take the {string.Join("x", input.shape)} input: {e.Message.Split('\n')[0]}");
            return ExitCodes.Usage;
        }

        var o = context.Out;
        o.WriteLine($"{info.Name} ({request.File}), weights {request.Weights}: {report.Loaded} tensors"
            + (report.Dropped.Count > 0 ? $", {report.Dropped.Count} of auxiliary heads dropped (--drop-aux)" : "")
            + (request.Engine == "onnx" ? "; run by ONNX Runtime" : ""));
        o.WriteLine(preprocessing is not null
            ? $"Input {request.Image}: {preprocessing.Describe()} -> {string.Join("x", input.shape.Skip(1))}"
            : $"Input {request.Tensor}: {string.Join("x", input.shape)}");

        if (request.Output is not null)
        {
            try
            {
                StateDictFile.WriteSafetensors(request.Output, new[] { new KeyValuePair<string, torch.Tensor>("output", logits) });
            }
            catch (IOException e)
            {
                errors.ToolError($"cannot write {request.Output}: {e.Message}");
                return ExitCodes.FileError;
            }

            o.WriteLine($"Output {string.Join("x", logits.shape)} written to {request.Output} (key `output`).");
        }

        if (logits.dim() != 2)
        {
            o.WriteLine($"Output {string.Join("x", logits.shape)}: not one score per class, so no top classes.");
            return ExitCodes.Success;
        }

        var classes = (int)logits.shape[1];
        if (names is not null && names.Count != classes)
        {
            errors.ToolError($"{(request.Labels ?? "the weights' labels")} names {names.Count} classes; {info.Name} has {classes}.");
            return ExitCodes.Usage;
        }

        var probabilities = torch.nn.functional.softmax(logits.to(torch.float64), 1);
        var k = Math.Min(request.Top, classes);
        var (values, indices) = probabilities.topk(k, 1);
        for (var sample = 0; sample < logits.shape[0]; sample++)
        {
            if (logits.shape[0] > 1) o.WriteLine($"Sample {sample}:");
            o.WriteLine($"  {"rank",4}  {"class",6}  {"probability",11}  {"logit",9}  label");
            for (var rank = 0; rank < k; rank++)
            {
                var index = indices[sample, rank].item<long>();
                o.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,4}  {1,6}  {2,10:0.00}%  {3,9:0.0000}  {4}",
                    rank + 1, index, 100 * values[sample, rank].item<double>(), logits[sample, index].to(torch.float64).item<double>(),
                    names is null ? "-" : names[(int)index]));
            }
        }

        if (names is null) o.WriteLine("No class names: give them with --labels FILE (one per line), or save them in the weights' `labels` metadata.");
        return ExitCodes.Success;
    }

    private static double[]? NullIfEmpty(double[]? values) => values is { Length: > 0 } ? values : null;

    private static Option<double[]?> Channels(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "A,B,C",
        CustomParser = result =>
        {
            var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            var parts = token.Split(',');
            var values = new double[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i])
                    || (name == "--std" && values[i] <= 0))
                {
                    result.AddError($"{name} takes one number per channel, separated by commas{(name == "--std" ? ", each above 0" : "")} (e.g. 0.5,0.5,0.5), not '{token}'.");
                    return null;
                }
            }

            return values;
        },
    };

    /// <summary>A tensor file's only float32 tensor, or the one named <c>input</c>; CxHxW gets a batch dimension.</summary>
    private static torch.Tensor ReadTensor(string path)
    {
        using var file = StateDictFile.Read(path);
        var chosen = file.Entries.Count == 1 ? file.Entries[0] : file.Entries.FirstOrDefault(e => e.Key == "input");
        if (chosen.Value is null) throw new InvalidDataException($"{path}: holds {file.Entries.Count} tensors and none is named `input`.");
        if (chosen.Value.dtype != torch.float32) throw new InvalidDataException($"{path}: `{chosen.Key}` is {chosen.Value.dtype}; the model takes float32.");
        var tensor = chosen.Value.dim() switch
        {
            3 => chosen.Value.unsqueeze(0),
            4 => chosen.Value.clone(),
            _ => throw new InvalidDataException($"{path}: `{chosen.Key}` is {string.Join("x", chosen.Value.shape)}; give CxHxW or BxCxHxW."),
        };
        return tensor;
    }

    /// <summary>The longest labels file read.</summary>
    private const int MaxLabelBytes = 4 << 20;

    private static IReadOnlyList<string>? ReadLabels(CliContext context, string path)
    {
        try
        {
            // One name a line: ImageNet's 1,000 take 10 kB. Read no more than the limit, so a
            // wrong path (a weights file, /dev/zero) costs at most that.
            var bytes = BoundedFile.Read(path, MaxLabelBytes, out var truncated);
            if (truncated)
            {
                context.ErrorPrinter.ToolError($"{path}: longer than the {MaxLabelBytes:N0} bytes a labels file may have (one class name a line); is it the right file?");
                return null;
            }

            var lines = new UTF8Encoding(false).GetString(bytes).TrimStart('\uFEFF').Split('\n').Select(l => l.Trim()).ToList();
            while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
            return lines;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.ErrorPrinter.ToolError($"{path}: cannot read: {e.Message}");
            return null;
        }
    }

    /// <summary>A .safetensors file's <c>labels</c> metadata: a JSON array of strings.</summary>
    private static IReadOnlyList<string>? LabelsFrom(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue("labels", out var text)) return null;
        try
        {
            return JsonSerializer.Deserialize<string[]>(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
