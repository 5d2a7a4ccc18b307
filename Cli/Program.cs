using System;
using System.Text;
using CnnDsl.Cli;
using CnnDsl.Cli.Rendering;

Console.OutputEncoding = Encoding.UTF8;
var errorIsTerminal = !Console.IsErrorRedirected
    && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
// libtorch's own warnings (NNPACK's, hundreds of lines on some CPUs) never reach the terminal.
using var noise = CnnDsl.Runtime.NativeNoise.Filter();
return CliApp.Run(args, new CliContext(Console.Out, Console.Error, OutputSettings.ForConsole(), errorIsTerminal));
