using System.IO;
using System.Linq;
using CnnDsl.Dsl;

namespace CnnDsl.Runtime.Interpreter
{
    /// <summary>Builds models straight from .cnn text.</summary>
    public static class CnnInterpreter
    {
        /// <summary>Checks a .cnn file and builds one of its models; a file with errors, or
        /// without that model, is an <see cref="InvalidDataException"/> listing the problems. The
        /// file's imports are read from the disk, relative to <paramref name="path"/>.</summary>
        public static InterpretedModel Build(string path, string text, string model)
        {
            var result = CnnCompiler.Compile(path, text, Dsl.Imports.FileImportResolver.Disk);
            if (result.HasErrors)
            {
                throw new InvalidDataException(string.Join("\n", result.Diagnostics.Where(d => d.IsError)));
            }

            var info = result.Models.FirstOrDefault(m => m.Name == model)
                ?? throw new InvalidDataException($"{path} has no model `{model}`; it has {string.Join(", ", result.Models.Select(m => m.Name))}");
            return new InterpretedModel(info);
        }
    }
}
