using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;

namespace CnnDsl.Runtime.Weights
{
    /// <summary>Loads PyTorch weights (.pth/.pt state dicts, .safetensors) into a model, strictly by
    /// default, and saves a model's weights. One place for generated classes (their
    /// <c>LoadWeights</c>/<c>SaveWeights</c>), the interpreter (<see cref="InterpretedModelWeights"/>)
    /// and the <c>cnn</c> command.</summary>
    public static class WeightLoader
    {
        /// <summary>Reads <paramref name="path"/> and copies its tensors into <paramref name="model"/>
        /// bit for bit, after checking every key, shape and element type.</summary>
        /// <param name="model">The module (a generated class or an interpreted model).</param>
        /// <param name="modelName">Its name in the .cnn file; the layout of that name in
        /// <paramref name="modelsInFile"/> gives the order keys are checked in.</param>
        /// <param name="modelsInFile">Every model of the same .cnn file, to name the one a
        /// mismatching file fits and to know auxiliary-head keys.</param>
        /// <exception cref="WeightFileException">The file cannot be read or is refused
        /// (<see cref="StateDictFile.Read"/>), or does not fit: the message names the first
        /// missing, unexpected or mis-shaped key, and the model of the file it fits, if any.</exception>
        public static WeightLoadReport Load(torch.nn.Module model, string modelName, string path, WeightLoadOptions? options, IReadOnlyList<WeightLayout> modelsInFile)
        {
            using var file = StateDictFile.Read(path);
            return Load(model, modelName, file, options, modelsInFile);
        }

        /// <summary>As <see cref="Load(torch.nn.Module, string, string, WeightLoadOptions?, IReadOnlyList{WeightLayout})"/>,
        /// from a file already read (the caller keeps ownership of it).</summary>
        public static WeightLoadReport Load(torch.nn.Module model, string modelName, StateDictFile file, WeightLoadOptions? options, IReadOnlyList<WeightLayout> modelsInFile)
        {
            options ??= WeightLoadOptions.Strict;
            var target = model.state_dict();
            var own = modelsInFile.FirstOrDefault(l => l.Model == modelName);
            var order = own is not null && own.Entries.Count == target.Count && own.Entries.All(e => target.ContainsKey(e.Key))
                ? own.Entries.Select(e => e.Key).ToList()
                : target.Keys.ToList();

            var dropped = new List<string>();
            var tensors = new List<KeyValuePair<string, torch.Tensor>>();
            var headsElsewhere = AuxiliaryHeadsNotIn(target.Keys, modelsInFile);
            foreach (var entry in file.Entries)
            {
                if (options.DropAuxiliaryHeads && !target.ContainsKey(entry.Key) && UnderAny(entry.Key, headsElsewhere) is not null) dropped.Add(entry.Key);
                else tensors.Add(entry);
            }

            var byKey = tensors.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
            var keep = new HashSet<string>(options.KeepInitialised, StringComparer.Ordinal);
            var problems = new List<string>();
            int missing = 0, unexpected = 0, misshaped = 0;
            foreach (var key in order)
            {
                if (keep.Contains(key)) continue;
                var expected = target[key];
                if (!byKey.TryGetValue(key, out var found))
                {
                    missing++;
                    problems.Add($"`{key}` ({Shape(expected.shape)}) is missing from the file");
                }
                else if (!found.shape.SequenceEqual(expected.shape))
                {
                    misshaped++;
                    problems.Add($"`{key}` is {Shape(found.shape)} in the file but {Shape(expected.shape)} in {modelName}");
                }
                else if (found.dtype != expected.dtype)
                {
                    misshaped++;
                    problems.Add($"`{key}` is {found.dtype} in the file but {expected.dtype} in {modelName}");
                }
            }

            foreach (var (key, tensor) in tensors)
            {
                if (target.ContainsKey(key)) continue;
                unexpected++;
                var head = UnderAny(key, headsElsewhere);
                problems.Add($"`{key}` ({Shape(tensor.shape)}) is in the file but not in {modelName}"
                    + (head is null ? "" : $" (auxiliary head `{head}`)"));
            }

            if (problems.Count > 0)
            {
                throw new WeightFileException(Mismatch(file, modelName, problems[0], missing, unexpected, misshaped, target, tensors, headsElsewhere, modelsInFile, options));
            }

            using (torch.no_grad())
            {
                foreach (var key in order)
                {
                    if (!keep.Contains(key)) target[key].copy_(byKey[key]);
                }
            }

            return new WeightLoadReport(file.Path, modelName, order.Count - keep.Count(target.ContainsKey), dropped,
                order.Where(keep.Contains).ToList(), file.Metadata);
        }

        /// <summary>Saves a model's state_dict: <c>.safetensors</c> (with optional text metadata such
        /// as <c>labels</c>), or <c>.pth</c>/<c>.pt</c> in torch.save's format (PyTorch loads it with
        /// <c>torch.load</c>). Written atomically.</summary>
        /// <exception cref="ArgumentException">Another extension.</exception>
        public static void Save(torch.nn.Module model, string path, IReadOnlyDictionary<string, string>? metadata = null)
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension == ".safetensors")
            {
                StateDictFile.WriteSafetensors(path, model.state_dict(), metadata);
                return;
            }

            if (extension is ".pth" or ".pt")
            {
                if (metadata is { Count: > 0 }) throw new ArgumentException($"{path}: a .pth file has no place for metadata; save .safetensors to keep it");
                Data.AtomicFile.Write(path, stream => TorchSharp.PyBridge.PyBridgeModuleExtensions.save_py(model, stream, leaveOpen: true));
                return;
            }

            throw new ArgumentException($"{path}: weights are saved as .safetensors, .pth or .pt");
        }

        /// <summary>Auxiliary heads of other models of the file whose keys this model lacks.</summary>
        private static IReadOnlyList<string> AuxiliaryHeadsNotIn(IEnumerable<string> keys, IReadOnlyList<WeightLayout> modelsInFile)
        {
            var own = keys.ToList();
            return modelsInFile.SelectMany(l => l.AuxiliaryHeads).Distinct(StringComparer.Ordinal)
                .Where(head => !own.Any(k => k.StartsWith(head + ".", StringComparison.Ordinal))).ToList();
        }

        private static string? UnderAny(string key, IReadOnlyList<string> heads) =>
            heads.FirstOrDefault(h => key.StartsWith(h + ".", StringComparison.Ordinal));

        private static string Mismatch(
            StateDictFile file, string modelName, string first, int missing, int unexpected, int misshaped,
            IDictionary<string, torch.Tensor> target, IReadOnlyList<KeyValuePair<string, torch.Tensor>> tensors,
            IReadOnlyList<string> headsElsewhere, IReadOnlyList<WeightLayout> modelsInFile, WeightLoadOptions options)
        {
            var counts = new List<string>();
            if (missing > 0) counts.Add($"{missing} missing");
            if (unexpected > 0) counts.Add($"{unexpected} unexpected");
            if (misshaped > 0) counts.Add($"{misshaped} of another shape or type");
            var message = $"{file.Path} does not fit {modelName}: {first} ({string.Join(", ", counts)}; the file has {file.Entries.Count} tensors, {modelName} {target.Count}).";

            var shapes = file.Entries.ToDictionary(e => e.Key, e => (IReadOnlyList<long>)e.Value.shape, StringComparer.Ordinal);
            var fitting = modelsInFile.Where(l => l.Model != modelName && l.Fits(shapes)).Select(l => l.Model).ToList();
            if (fitting.Count > 0)
            {
                message += $" It fits {string.Join(", ", fitting)} of the same .cnn file.";
            }

            var onlyHeadsExtra = unexpected > 0 && missing == 0 && misshaped == 0
                && tensors.Where(t => !target.ContainsKey(t.Key)).All(t => UnderAny(t.Key, headsElsewhere) is not null);
            if (onlyHeadsExtra && !options.DropAuxiliaryHeads)
            {
                message += $" Its extra tensors are auxiliary heads that {modelName} does not have; to load the rest into {modelName}, "
                    + "drop them explicitly (WeightLoadOptions.DropAuxiliaryHeads; --drop-aux on the command line).";
            }

            return message;
        }

        private static string Shape(IEnumerable<long> shape)
        {
            var dims = shape.ToList();
            return dims.Count == 0 ? "a scalar" : string.Join("x", dims);
        }
    }
}
