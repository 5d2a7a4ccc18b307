using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using CnnDsl.Cli.Input;
using CnnDsl.Dsl.Layers;
using CnnDsl.Export;
using CnnDsl.Export.Onnx;
using CnnDsl.Runtime.Export;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Weights;

namespace CnnDsl.Cli.Commands;

/// <summary><c>cnn export FILE --model M (--onnx OUT.onnx | --pytorch OUT.py) [--weights W]
/// [--opset N] [--input CxHxW]</c>: writes a model of a .cnn file for another engine: an ONNX
/// file with its weights (ONNX Runtime, Netron), or a PyTorch module whose state_dict equals the
/// C# class's.</summary>
public static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The .cnn file that defines the model." };
        var model = CommonOptions.Model("The model (may be left out when the file has one).");
        var onnx = new Option<string?>("--onnx") { Description = "Write an ONNX file: the model in eval mode with its weights, batch size free.", HelpName = "OUT.onnx" };
        var pytorch = new Option<string?>("--pytorch") { Description = "Write a Python module with an nn.Module of the model, whose state_dict has the C# class's keys.", HelpName = "OUT.py" };
        var weights = WeightOptions.Weights("The weights to put into the ONNX file: a PyTorch state_dict (.pth, .pt) or .safetensors. Default: a fresh initialisation.");
        var opset = new Option<int?>("--opset")
        {
            Description = $"The ONNX opset, {OnnxExportOptions.MinimumOpset} to {OnnxExportOptions.MaximumOpset}. Default: {OnnxExportOptions.DefaultOpset}.",
            HelpName = "N",
        };
        var input = CommonOptions.Input();
        var dropAux = WeightOptions.DropAux();
        var command = new Command("export", "Write a model for another engine: ONNX (ONNX Runtime, Netron) or a PyTorch module (torchrun, DistributedDataParallel).")
        {
            file, model, onnx, pytorch, weights, opset, input, dropAux,
        };
        command.SetAction(parse => Run(context, new Request(parse.GetValue(file)!, parse.GetValue(model), parse.GetValue(onnx), parse.GetValue(pytorch),
            parse.GetValue(weights), parse.GetValue(opset), parse.GetValue(input), parse.GetValue(dropAux))));
        return command;
    }

    /// <summary>The command line.</summary>
    public sealed record Request(string File, string? Model, string? Onnx, string? PyTorch, string? Weights, int? Opset, Shape? Input, bool DropAux);

    public static int Run(CliContext context, Request request)
    {
        var errors = context.ErrorPrinter;
        if (request.Onnx is null && request.PyTorch is null)
        {
            errors.ToolError("say what to write: --onnx OUT.onnx, --pytorch OUT.py, or both.");
            return ExitCodes.Usage;
        }

        if (request.Opset is { } n && (n < OnnxExportOptions.MinimumOpset || n > OnnxExportOptions.MaximumOpset))
        {
            errors.ToolError($"--opset {n}: the ONNX export writes opsets {OnnxExportOptions.MinimumOpset} to {OnnxExportOptions.MaximumOpset}.");
            return ExitCodes.Usage;
        }

        if (request.Opset is not null && request.Onnx is null)
        {
            errors.ToolError("--opset applies to --onnx only.");
            return ExitCodes.Usage;
        }

        var (models, _, exit) = ModelLoader.Load(context, request.File, request.Model, request.Input, "before exporting it");
        if (models.Count == 0) return exit;
        if (request.Model is null && models.Count > 1)
        {
            errors.ToolError($"'{request.File}' defines {models.Count} models; say which with --model: {string.Join(", ", models.Select(m => m.Model.Name))}");
            return ExitCodes.Usage;
        }

        var info = models[0].Model;
        var inputs = new[] { Path.GetFullPath(request.File) };
        var outputs = new[] { request.Onnx, request.PyTorch }.Where(p => p is not null).Select(p => Path.GetFullPath(p!)).ToList();
        if (outputs.Intersect(inputs.Concat(request.Weights is null ? Array.Empty<string>() : new[] { Path.GetFullPath(request.Weights) })).Any())
        {
            errors.ToolError("an output of export is one of its inputs (the .cnn file or --weights); write it elsewhere: nothing was written.");
            return ExitCodes.Usage;
        }

        if (outputs.Count == 2 && outputs[0] == outputs[1])
        {
            errors.ToolError("--onnx and --pytorch name the same file; give each its own: nothing was written.");
            return ExitCodes.Usage;
        }

        if (request.Onnx is not null && ModelExport.OnnxSizeProblem(info) is { } tooLarge)
        {
            errors.ToolError(tooLarge + ".");
            return ExitCodes.Usage;
        }

        if (!Training.TrainingCli.EnsureTorch(context)) return ExitCodes.ExternalFailure;
        if (!Training.TrainingCli.Fits(context, info, 1, training: false, "build it for export")) return ExitCodes.ExternalFailure;
        using var module = new InterpretedModel(info);
        if (request.Weights is not null)
        {
            try
            {
                module.LoadWeights(request.Weights, new WeightLoadOptions { DropAuxiliaryHeads = request.DropAux }, WeightOptions.ModelsInFile(request.File));
            }
            catch (Exception e) when (e is WeightFileException or InvalidDataException or IOException)
            {
                errors.ToolError(e.Message);
                return ExitCodes.FileError;
            }
        }

        var o = context.Out;
        try
        {
            if (request.Onnx is not null)
            {
                var options = new OnnxExportOptions { Opset = request.Opset ?? OnnxExportOptions.DefaultOpset };
                ModelExport.WriteOnnx(module, info, request.Onnx, options);
                o.WriteLine($"{info.Name}: ONNX opset {options.Opset}, input `{options.InputName}` N x {info.Input}, output `{options.OutputName}` N x {info.Output}, "
                    + $"{(request.Weights is null ? "freshly initialised weights" : "weights " + request.Weights)}: {request.Onnx} ({Size(request.Onnx)})");
            }

            if (request.PyTorch is not null)
            {
                ModelExport.WritePyTorch(module, info, request.PyTorch);
                o.WriteLine($"{info.Name}: PyTorch module `{PyTorchClass(request.PyTorch)}` (state_dict keys as in C#): {request.PyTorch}");
            }
        }
        catch (ExportException e)
        {
            errors.ToolError($"{info.Name}: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var target = new[] { request.Onnx, request.PyTorch }.FirstOrDefault(p => p is not null && Directory.Exists(p));
            errors.ToolError(target is not null ? $"cannot write '{target}': it is a directory." : $"cannot write: {e.Message}");
            return ExitCodes.FileError;
        }

        // The Python module holds no weights, so only an ONNX file can hold a fresh initialisation.
        if (request.Weights is null && request.Onnx is not null)
        {
            Training.TrainingCli.Warn(context, "no --weights: the ONNX file holds a fresh random initialisation.");
        }

        return ExitCodes.Success;
    }

    private static string Size(string path)
    {
        var bytes = new FileInfo(path).Length;
        return bytes >= 1 << 20 ? $"{bytes / (1024.0 * 1024.0):0.0} MiB" : $"{bytes / 1024.0:0.0} KiB";
    }

    /// <summary>The model's class name, as the Python file's <c>create()</c> returns it.</summary>
    private static string PyTorchClass(string path) =>
        File.ReadLines(path).Where(l => l.StartsWith("    return ", StringComparison.Ordinal) && l.EndsWith("().eval()", StringComparison.Ordinal))
            .Select(l => l.Substring(11, l.Length - 11 - 9)).LastOrDefault() ?? "?";
}
