using System.Collections.Generic;
using System.CommandLine;
using CnnDsl.Dsl.Analysis;

namespace CnnDsl.Cli.Input;

/// <summary>The options that bring PyTorch weights into a command (<c>predict</c>, <c>verify</c>,
/// <c>test</c>, <c>train</c>), described once.</summary>
public static class WeightOptions
{
    public static Option<string?> Weights(string description, bool required = false) => new("--weights", "-w")
    {
        Description = description,
        HelpName = "W",
        Required = required,
    };

    /// <summary><c>--drop-aux</c>: the explicit consent to ignore a file's auxiliary-head tensors.</summary>
    public static Option<bool> DropAux() => new("--drop-aux")
    {
        Description = "Ignore the weights' auxiliary-head tensors (aux1.*, aux2.*) when the model has no such heads, "
            + "as torchvision's pretrained GoogLeNet and Inception v3 files carry them. Without it such a file is refused.",
    };

    /// <summary>Every model of a .cnn file (already checked by the caller), so that a weights file
    /// that does not fit is told which model it fits.</summary>
    public static IReadOnlyList<ModelInfo> ModelsInFile(string path)
    {
        var source = SourceLoader.Load(path);
        return source.Loaded ? source.Result!.Models : new List<ModelInfo>();
    }
}
