using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Analysis;

namespace CnnDsl.Cli.Input;

/// <summary>Picks the models a command works on: all of a file's, or the one <c>--model</c> names.</summary>
public static class ModelSelector
{
    /// <summary>The selected models, or an error message naming the models there are.</summary>
    public static (IReadOnlyList<ModelInfo> Models, string? Error) Select(
        string path, IReadOnlyList<ModelInfo> models, string? name)
    {
        if (models.Count == 0) return (models, $"'{path}' defines no model");
        if (name is null) return (models, null);

        var exact = models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal));
        if (exact is not null) return (new[] { exact }, null);

        var names = models.Select(m => m.Name).ToList();
        var message = $"'{path}' has no model named '{name}'.";
        var suggestion = NameSuggestions.DidYouMean(name, names);
        if (suggestion is not null) message += " " + suggestion;
        message += Environment.NewLine + "Available models: " + string.Join(", ", names);
        return (Array.Empty<ModelInfo>(), message);
    }
}
