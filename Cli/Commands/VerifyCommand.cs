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
        foreach (var selected in models)
        {
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
                console.MarkupLine($"[green]ok[/]     [bold]{Markup.Escape(result.Model)}[/] [grey]{Markup.Escape(summary)}[/]");
                continue;
            }

            failed++;
            console.MarkupLine($"[red]FAILED[/] [bold]{Markup.Escape(result.Model)}[/] [grey]{result.Differences.Count} difference{(result.Differences.Count == 1 ? "" : "s")}[/]");
            foreach (var difference in result.Differences) console.MarkupLine($"  {Markup.Escape(difference)}");
        }

        var at = input is null ? "at their declared inputs" : $"at input {input}";
        var verdict = failed == 0
            ? $"Verified {models.Count} model{(models.Count == 1 ? "" : "s")} of {path} {at}: run-time shapes and parameter counts equal the static analysis."
            : $"{failed} of {models.Count} model{(models.Count == 1 ? "" : "s")} of {path} differ from the static analysis.";
        context.Out.WriteLine(verdict);
        return failed == 0 ? ExitCodes.Success : ExitCodes.VerificationFailed;
    }
}
