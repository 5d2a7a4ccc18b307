using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace CnnDsl.Runtime.Data
{
    /// <summary>Which half of an MNIST folder.</summary>
    public enum MnistSplit
    {
        /// <summary><c>train-images-idx3-ubyte</c> and <c>train-labels-idx1-ubyte</c>.</summary>
        Train,

        /// <summary><c>t10k-images-idx3-ubyte</c> and <c>t10k-labels-idx1-ubyte</c>.</summary>
        Test,
    }

    /// <summary>
    /// A folder of MNIST IDX files under their standard names, as <c>cnn data mnist</c> writes
    /// them and as the original distribution names them (also with <c>.gz</c>, or with the
    /// <c>train-images.idx3-ubyte</c> spelling some mirrors use). Any number of images loads: the
    /// full 60,000 + 10,000 as well as the 8,000 + 2,000 of <c>cnn data mnist</c>.
    /// </summary>
    public static class MnistFolder
    {
        public const string TrainImages = "train-images-idx3-ubyte";
        public const string TrainLabels = "train-labels-idx1-ubyte";
        public const string TestImages = "t10k-images-idx3-ubyte";
        public const string TestLabels = "t10k-labels-idx1-ubyte";

        /// <summary>The image and label file names of a split, as written by <c>cnn data mnist</c>.</summary>
        public static (string Images, string Labels) FileNames(MnistSplit split) =>
            split == MnistSplit.Train ? (TrainImages, TrainLabels) : (TestImages, TestLabels);

        /// <summary>Loads one split, checking both files and that they agree.</summary>
        /// <exception cref="IdxFormatException">A file is missing or wrong; the message names it.</exception>
        public static LabeledImages Load(string folder, MnistSplit split)
        {
            if (!Directory.Exists(folder))
            {
                throw new IdxFormatException(folder,
                    File.Exists(folder)
                        ? "is a file; --data takes the folder that holds the MNIST IDX files"
                        : "data folder not found; create it with `cnn data mnist --out " + folder + "`, or point --data at a folder with the MNIST IDX files");
            }

            var (imagesName, labelsName) = FileNames(split);
            var imagesPath = Locate(folder, imagesName);
            var labelsPath = Locate(folder, labelsName);
            return Load(imagesPath, labelsPath, split == MnistSplit.Train ? "training" : "test");
        }

        /// <summary>Loads a pair of IDX files: images [N, rows, columns] and N labels in 0-9.</summary>
        public static LabeledImages Load(string imagesPath, string labelsPath, string name)
        {
            var images = IdxFile.ReadImages(imagesPath);
            var labels = IdxFile.ReadLabels(labelsPath);
            if (images.Count != labels.Count)
            {
                throw new IdxFormatException(labelsPath,
                    $"holds {N(labels.Count)} labels but {imagesPath} holds {N(images.Count)} images; the two files of a split must have one label per image");
            }

            for (var i = 0; i < labels.Data.Length; i++)
            {
                if (labels.Data[i] >= LabeledImages.DigitClasses)
                {
                    var bad = labels.Data.Count(l => l >= LabeledImages.DigitClasses);
                    throw new IdxFormatException(labelsPath,
                        $"label {labels.Data[i]} at index {N(i)} is outside 0-9 ({N(bad)} such label{(bad == 1 ? "" : "s")} in all): not a file of digit labels, or corrupt");
                }
            }

            return new LabeledImages($"{name} ({Path.GetFileName(imagesPath)})", images.Dimensions[1], images.Dimensions[2], images.Data, labels.Data);
        }

        /// <summary>The path of a standard file in the folder, trying the usual spellings; the
        /// standard name if none exists (reading it then reports it missing).</summary>
        public static string Locate(string folder, string standardName)
        {
            var dotted = standardName.Replace("-idx", ".idx", StringComparison.Ordinal);
            foreach (var candidate in new[] { standardName, standardName + ".gz", dotted, dotted + ".gz" })
            {
                var path = Path.Combine(folder, candidate);
                if (File.Exists(path)) return path;
            }

            return Path.Combine(folder, standardName);
        }

        /// <summary>Writes one split under the standard names (each file atomically).</summary>
        public static void Write(string folder, MnistSplit split, LabeledImages set)
        {
            var (imagesName, labelsName) = FileNames(split);
            Directory.CreateDirectory(folder);
            IdxFile.WriteImages(Path.Combine(folder, imagesName), set.Count, set.Rows, set.Columns, set.Pixels);
            IdxFile.WriteLabels(Path.Combine(folder, labelsName), set.Labels);
        }

        private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
