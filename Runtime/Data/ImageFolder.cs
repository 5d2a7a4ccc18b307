using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CnnDsl.Runtime.Data
{
    /// <summary>One image file of an image folder and its class (an index into the class names).</summary>
    public sealed record ImageSample(string Path, int Label);

    /// <summary>
    /// A folder with one sub-folder per class, the layout torchvision's <c>ImageFolder</c> reads:
    /// <c>ROOT/cat/1.jpg</c>, <c>ROOT/dog/7.png</c>. Class names are the sub-folders' names in
    /// ordinal order (class 0 first); the images of a class are the files under its folder (at any
    /// depth) with the extension of a format that can be decoded (<see cref="Extensions"/>).
    /// </summary>
    /// <remarks>The samples are ordered by file name, then class, then path (torchvision orders
    /// by class first). The order decides which images a seeded split and a seeded shuffle pick;
    /// this one lets a folder written from an ordered set with numbered names
    /// (<see cref="ImageFolderWriter"/>) read back in that set's order, so that training from the
    /// folder repeats training from the set exactly.</remarks>
    public sealed class ImageFolder
    {
        /// <summary>The file extensions read as images (compared case-insensitively).</summary>
        public static readonly IReadOnlyList<string> Extensions = new[] { ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp" };

        private ImageFolder(string root, IReadOnlyList<string> classNames, IReadOnlyList<ImageSample> samples)
        {
            Root = root;
            ClassNames = classNames;
            Samples = samples;
        }

        public string Root { get; }

        /// <summary>The classes, class 0 first.</summary>
        public IReadOnlyList<string> ClassNames { get; }

        public IReadOnlyList<ImageSample> Samples { get; }

        /// <summary>The image files of each class.</summary>
        public int[] ClassCounts()
        {
            var counts = new int[ClassNames.Count];
            foreach (var sample in Samples) counts[sample.Label]++;
            return counts;
        }

        /// <summary>Reads the layout of a folder of class folders.</summary>
        /// <param name="root">The folder.</param>
        /// <param name="classNames">The classes a model was trained on (for a validation or test
        /// folder): each class folder must be one of them, and may be absent. Null: the folder's
        /// own classes, at least two.</param>
        /// <exception cref="ImageDataException">The folder is missing, has no class folders, a
        /// class folder holds no image, or (without <paramref name="classNames"/>) there is one class.</exception>
        public static ImageFolder Scan(string root, IReadOnlyList<string>? classNames = null)
        {
            if (!Directory.Exists(root))
            {
                throw new ImageDataException(root, File.Exists(root)
                    ? "is a file; --data takes a folder (of MNIST IDX files, or with one sub-folder of images per class)"
                    : "data folder not found");
            }

            var folders = Directory.EnumerateDirectories(root)
                .Select(Path.GetFileName)
                .Where(n => n is not null && !n.StartsWith('.'))
                .Select(n => n!)
                .OrderBy(n => n, StringComparer.Ordinal)
                .ToList();
            if (folders.Count == 0)
            {
                var loose = Directory.EnumerateFiles(root).Count(IsImage);
                throw new ImageDataException(root, loose > 0
                    ? $"holds {loose} image{(loose == 1 ? "" : "s")} but no class folders; put the images of each class in a sub-folder named after the class (ROOT/cat/1.jpg, ROOT/dog/2.jpg)"
                    : "has no class folders: an image folder holds one sub-folder of images per class (ROOT/cat/1.jpg, ROOT/dog/2.jpg)");
            }

            var names = classNames ?? folders;
            if (classNames is null && folders.Count == 1)
            {
                throw new ImageDataException(root, $"has one class folder ({folders[0]}); a classifier needs images of at least two classes, each in its own sub-folder");
            }

            var samples = new List<(string Name, int Label, string Path)>();
            foreach (var folder in folders)
            {
                var label = IndexOf(names, folder);
                if (label < 0)
                {
                    throw new ImageDataException(Path.Combine(root, folder),
                        $"class `{folder}` is not one of the {names.Count} classes the model was trained on ({Abbreviate(names)})");
                }

                var files = Directory.EnumerateFiles(Path.Combine(root, folder), "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden })
                    .Where(IsImage)
                    .ToList();
                if (files.Count == 0)
                {
                    throw new ImageDataException(Path.Combine(root, folder),
                        $"class folder with no images ({string.Join(", ", Extensions)}); add images of class `{folder}` or remove the folder");
                }

                samples.AddRange(files.Select(f => (Path.GetFileName(f), label, f)));
            }

            var ordered = samples
                .OrderBy(s => s.Name, StringComparer.Ordinal)
                .ThenBy(s => s.Label)
                .ThenBy(s => s.Path, StringComparer.Ordinal)
                .Select(s => new ImageSample(s.Path, s.Label))
                .ToList();
            return new ImageFolder(root, names.ToList(), ordered);
        }

        /// <summary>Whether a path has an image extension.</summary>
        public static bool IsImage(string path) =>
            Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

        private static int IndexOf(IReadOnlyList<string> names, string name)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
            }

            return -1;
        }

        private static string Abbreviate(IReadOnlyList<string> names) =>
            names.Count <= 12 ? string.Join(", ", names) : string.Join(", ", names.Take(10)) + $", ... ({names.Count - 10} more)";
    }
}
