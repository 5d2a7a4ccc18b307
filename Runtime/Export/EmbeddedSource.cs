using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Imports;

namespace CnnDsl.Runtime.Export
{
    /// <summary>The analysed model of a generated class, from the .cnn text the generator embedded
    /// in it (the file and the files it imports): what the class's <c>ExportOnnx</c> and
    /// <c>ExportPyTorch</c> hand to the exporters. Analysed once per model and process.</summary>
    public static class EmbeddedSource
    {
        private static readonly ConcurrentDictionary<string, ModelInfo> Cache = new(StringComparer.Ordinal);

        /// <summary>The model <paramref name="model"/> of the first file of <paramref name="files"/>
        /// (path, text, path, text, ...; the others are its imports, by path relative to it).</summary>
        /// <exception cref="InvalidOperationException">The embedded text does not compile or lacks the
        /// model: the generated class is stale or was edited by hand.</exception>
        public static ModelInfo Analyze(string model, params string[] files)
        {
            ArgumentNullException.ThrowIfNull(files);
            if (files.Length < 2 || files.Length % 2 != 0) throw new ArgumentException("path and text pairs", nameof(files));
            var key = model + "\u0000" + string.Join("\u0000", files);
            return Cache.GetOrAdd(key, _ =>
            {
                var pairs = Enumerable.Range(0, files.Length / 2).Select(i => (files[2 * i], files[2 * i + 1])).ToList();
                var result = CnnCompiler.Compile(pairs[0].Item1, pairs[0].Item2, new ImportTable(pairs));
                if (result.HasErrors)
                {
                    throw new InvalidOperationException($"the embedded source of {model} does not compile: {string.Join("; ", result.Diagnostics.Where(d => d.IsError))}");
                }

                return result.Models.FirstOrDefault(m => m.Name == model)
                    ?? throw new InvalidOperationException($"the embedded source of {pairs[0].Item1} has no model `{model}`");
            });
        }
    }
}
