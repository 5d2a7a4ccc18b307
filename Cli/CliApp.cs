using System;
using System.CommandLine;
using System.CommandLine.Invocation;
using System.IO;
using CnnDsl.Cli.Commands;
using CnnDsl.Cli.Rendering;

namespace CnnDsl.Cli;

/// <summary>The whole <c>cnn</c> tool as a function: arguments and two writers in, an exit code
/// out. The program calls it with the console; tests call it with string writers.</summary>
public static class CliApp
{
    /// <summary>Runs with plain output (no colour, the stable width), as when redirected.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, new CliContext(stdout, stderr, OutputSettings.Plain, ErrorColor: false));

    public static int Run(string[] args, CliContext context)
    {
        try
        {
            return Dispatch(args, context);
        }
        catch (Exception e)
        {
            // A bug in cnn itself: one line, no stack trace.
            context.ErrorPrinter.ToolError($"internal error ({e.GetType().Name}): {e.Message}");
            return ExitCodes.InternalError;
        }
    }

    private static int Dispatch(string[] args, CliContext context)
    {
        var root = BuildRoot(context);
        var invocation = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
        };
        if (args.Length == 0)
        {
            // Nothing asked for: show what there is, but do not report success.
            root.Parse(new[] { "--help" }).Invoke(invocation);
            return ExitCodes.Usage;
        }

        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            var printer = context.ErrorPrinter;
            foreach (var error in parse.Errors) printer.ToolError(error.Message);
            var command = parse.CommandResult.Command == root ? "cnn" : $"cnn {parse.CommandResult.Command.Name}";
            context.Error.WriteLine($"Run '{command} --help' for usage.");
            return ExitCodes.Usage;
        }

        return parse.Invoke(invocation);
    }

    public static RootCommand BuildRoot(CliContext context) =>
        new("cnn: check CnnDsl architecture files (.cnn) and summarise their models.")
        {
            SummaryCommand.Create(context),
            CheckCommand.Create(context),
            ListCommand.Create(context),
            EmitCommand.Create(context),
            GraphCommand.Create(context),
            VerifyCommand.Create(context),
            DataCommand.Create(context),
            TrainCommand.Create(context),
            TestCommand.Create(context),
            TransferCommand.Create(context),
            DoctorCommand.Create(context),
            PredictCommand.Create(context),
            ExportCommand.Create(context),
        };
}
