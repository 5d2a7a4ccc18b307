using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Layers;
using TorchSharp;

namespace CnnDsl.Runtime.Weights
{
    /// <summary>Pretrained weights as the start of training on another task: everything loads
    /// strictly except the classifier, which stays as initialised when the file's has another number
    /// of classes (ImageNet's 1,000 against the new task's 10).</summary>
    public static class FineTuning
    {
        /// <summary>Loads <paramref name="path"/> into <paramref name="module"/> (built from
        /// <paramref name="model"/>). The model's last linear layer outside auxiliary heads is the
        /// classifier: when the file holds it with another shape, it is kept as initialised and
        /// named in <see cref="WeightLoadReport.KeptInitialised"/>. Any other difference is the
        /// strict load's error.</summary>
        /// <exception cref="WeightFileException">Unreadable, refused, or another difference than the classifier's.</exception>
        public static WeightLoadReport Load(torch.nn.Module module, ModelInfo model, string path, IReadOnlyList<ModelInfo> modelsInFile, bool dropAuxiliaryHeads = false)
        {
            using var file = StateDictFile.Read(path);
            var layouts = modelsInFile.Select(WeightLayout.Of).ToList();
            if (layouts.All(l => l.Model != model.Name)) layouts.Insert(0, WeightLayout.Of(model));
            var keep = NewClassifierKeys(model, file, module.state_dict());
            return WeightLoader.Load(module, model.Name, file,
                new WeightLoadOptions { DropAuxiliaryHeads = dropAuxiliaryHeads, KeepInitialised = keep }, layouts);
        }

        /// <summary>The keys of the classifier (the last linear layer of the main path) when the
        /// file has them with another shape; empty otherwise.</summary>
        public static IReadOnlyList<string> NewClassifierKeys(ModelInfo model, StateDictFile file, IDictionary<string, torch.Tensor> target)
        {
            var heads = WeightLayout.Of(model).AuxiliaryHeads;
            var classifier = model.Layers.LastOrDefault(l => l.Spec is LinearSpec && !heads.Any(h => l.Path.StartsWith(h + ".", StringComparison.Ordinal)));
            if (classifier is null) return Array.Empty<string>();
            var keys = classifier.Tensors.Select(t => classifier.Path + "." + t.Name).ToList();
            var inFile = file.Entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
            var differs = keys.Any(k => inFile.TryGetValue(k, out var tensor) && target.TryGetValue(k, out var own) && !tensor.shape.SequenceEqual(own.shape));
            return differs ? keys : Array.Empty<string>();
        }
    }
}
