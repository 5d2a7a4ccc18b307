using System;
using System.Text;
using CnnDsl.Cli;
using CnnDsl.Cli.Rendering;

Console.OutputEncoding = Encoding.UTF8;
var errorIsTerminal = !Console.IsErrorRedirected
    && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
return CliApp.Run(args, new CliContext(Console.Out, Console.Error, OutputSettings.ForConsole(), errorIsTerminal));
