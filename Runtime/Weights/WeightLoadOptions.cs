using System;
using System.Collections.Generic;

namespace CnnDsl.Runtime.Weights
{
    /// <summary>How a weights file is loaded. The default is strict: the file must hold exactly the
    /// model's keys, with its shapes and element types. Every relaxation is asked for by name.</summary>
    public sealed record WeightLoadOptions
    {
        /// <summary>Exactly the model's keys, shapes and element types.</summary>
        public static WeightLoadOptions Strict { get; } = new();

        /// <summary>Ignore the file's tensors of auxiliary heads that the model does not have (keys
        /// under <c>aux1.</c>, <c>aux2.</c>, ... of a model of the same .cnn file that has them).
        /// torchvision's pretrained GoogLeNet and Inception v3 files carry their heads' weights; a
        /// model without the heads loads them only with this.</summary>
        public bool DropAuxiliaryHeads { get; init; }

        /// <summary>Keys of the model to leave as initialised, whatever the file holds under them:
        /// a new classifier for fine-tuning on another number of classes.</summary>
        public IReadOnlyCollection<string> KeepInitialised { get; init; } = Array.Empty<string>();
    }

    /// <summary>What a load did.</summary>
    /// <param name="Path">The file.</param>
    /// <param name="Model">The model it went into.</param>
    /// <param name="Loaded">Tensors copied.</param>
    /// <param name="Dropped">File keys ignored because <see cref="WeightLoadOptions.DropAuxiliaryHeads"/> asked for it.</param>
    /// <param name="KeptInitialised">Model keys left as initialised (<see cref="WeightLoadOptions.KeepInitialised"/>).</param>
    /// <param name="Metadata">The file's text metadata (.safetensors <c>__metadata__</c>).</param>
    public sealed record WeightLoadReport(
        string Path, string Model, int Loaded, IReadOnlyList<string> Dropped, IReadOnlyList<string> KeptInitialised,
        IReadOnlyDictionary<string, string> Metadata);
}
