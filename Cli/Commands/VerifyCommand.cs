using System;
using System.CommandLine;
using System.Linq;
using CnnDsl.Cli.Input;
using CnnDsl.Cli.Rendering;
using CnnDsl.Cli.Verification;
using CnnDsl.Runtime;
using Spectre.Console;

namespace CnnDsl.Cli.Commands;

/// <summary><c>cnn verify FILE [--model NAME] [--input CxHxW]</c>: builds each model with the runtime
/// interpreter, runs a random input through it, and compares every layer's real output shape and
/// parameter count with the static analysis.</summary>
public static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The .cnn file whose models to verify." };
        var model = CommonOptions.Model("Verify only this model (default: every model in the file).");
        var input = CommonOptions.Input();
        var weights = WeightOptions.Weights("Also load these PyTorch weights (.pth, .pt, .safetensors) into each model, strictly: they must fit.");
        var dropAux = WeightOptions.DropAux();
        var command = new Command("verify",
            "Build each model at run time (TorchSharp), run a random input through it, and check every layer's real shape and parameter count against the static analysis.")
        {
            file, model, input, weights, dropAux,
        };
        command.SetAction(parse => Run(context, parse.GetValue(file)!, parse.GetValue(model), parse.GetValue(input), parse.GetValue(weights), parse.GetValue(dropAux)));
        return command;
    }

    public static int Run(CliContext context, string path, string? modelName, Dsl.Layers.Shape? input, string? weights = null, bool dropAux = false)
    {
        var (models, _, exit) = ModelLoader.Load(context, path, modelName, input, "to verify it");
        if (exit != ExitCodes.Success) return exit;

        try
        {
            TorchRuntime.EnsureAvailable();
        }
        catch (TorchUnavailableException e)
        {
            context.ErrorPrinter.ToolError(e.Message);
            return ExitCodes.ExternalFailure;
        }

        var console = ConsoleFactory.Create(context.Out, context.OutSettings);
        var failed = 0;
        var tooLarge = 0;
        foreach (var selected in models)
        {
            // Estimated before anything is allocated: a model the machine cannot hold is said so.
            var refusal = ModelMemory.Refusal(selected.Model, batch: 1, training: false, "build and run one sample");
            if (refusal is not null)
            {
                tooLarge++;
                context.ErrorPrinter.ToolError(refusal + "; verify it at a smaller --input, or where more memory is available.");
                continue;
            }

            var result = ModelVerifier.Verify(selected.Model);
            var summary = $"{result.NodesChecked} layers, groups and merges; {Numbers.Grouped(result.Parameters)} parameters; output {result.Output}";
            if (weights is not null)
            {
                var fit = WeightCheck.Describe(selected.Model, weights, dropAux, path);
                if (fit.Error is not null) result = result with { Differences = result.Differences.Append(fit.Error).ToList() };
                else summary += "; " + fit.Text;
            }

            if (result.Passed)
            {
                ConsoleFactory.Line(console, $"[green]ok[/]     [bold]{Markup.Escape(result.Model)}[/] [grey]{Markup.Escape(summary)}[/]");
                continue;
            }

            failed++;
            ConsoleFactory.Line(console, $"[red]FAILED[/] [bold]{Markup.Escape(result.Model)}[/] [grey]{result.Differences.Count} difference{(result.Differences.Count == 1 ? "" : "s")}[/]");
            foreach (var difference in result.Differences) ConsoleFactory.Line(console, $"  {Markup.Escape(difference)}");
        }

        var checkedCount = models.Count - tooLarge;
        var at = input is not null ? $"at input {input}" : checkedCount == 1 ? "at its declared input" : "at their declared inputs";
        var verdict = failed > 0
            ? $"{failed} of {Models(checkedCount)} of {path} differ from the static analysis."
            : checkedCount > 0
                ? $"Verified {Models(checkedCount)} of {path} {at}: run-time shapes and parameter counts equal the static analysis."
                : $"No model of {path} was verified.";
        if (tooLarge > 0) verdict += $" {Models(tooLarge)} could not be built: not enough memory.";
        context.Out.WriteLine(verdict);
        return failed > 0 ? ExitCodes.VerificationFailed : tooLarge > 0 ? ExitCodes.ExternalFailure : ExitCodes.Success;
    }

    private static string Models(int count) => count == 1 ? "1 model" : $"{count} models";
}
