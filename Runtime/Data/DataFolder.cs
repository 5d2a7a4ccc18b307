using System.IO;

namespace CnnDsl.Runtime.Data
{
    /// <summary>Which part of a data set a command reads.</summary>
    public enum DataPart
    {
        Train,
        Validation,
        Test,
    }

    /// <summary>
    /// What a <c>--data</c> folder holds: MNIST IDX files (<c>train-images-idx3-ubyte</c>, ...), or
    /// an image folder, either split (<c>train/</c>, and optionally <c>val/</c> and <c>test/</c>,
    /// each with one sub-folder per class) or not (the class folders themselves, used for
    /// whatever part is asked for).
    /// </summary>
    public sealed record DataFolder(string Root, bool IsIdx, string? Train, string? Validation, string? Test)
    {
        /// <summary>Looks at a folder.</summary>
        /// <exception cref="ImageDataException">It does not exist, or is a file.</exception>
        public static DataFolder Resolve(string root)
        {
            if (!Directory.Exists(root))
            {
                throw new ImageDataException(root, File.Exists(root)
                    ? "is a file; --data takes a folder (of MNIST IDX files, or with one sub-folder of images per class)"
                    : "data folder not found; create it with `cnn data mnist --out " + root + "` (IDX files) or `--format png` (an image folder), or point --data at a folder with one sub-folder of images per class");
            }

            var idx = File.Exists(MnistFolder.Locate(root, MnistFolder.TrainImages)) || File.Exists(MnistFolder.Locate(root, MnistFolder.TestImages));
            if (idx) return new DataFolder(root, true, null, null, null);
            string? Sub(string name) => Directory.Exists(Path.Combine(root, name)) ? Path.Combine(root, name) : null;
            var train = Sub("train");
            if (train is null) return new DataFolder(root, false, root, null, root);
            return new DataFolder(root, false, train, Sub("val"), Sub("test"));
        }

        /// <summary>The image folder of a part; null when the data set has none.</summary>
        public string? Folder(DataPart part) => part switch
        {
            DataPart.Train => Train,
            DataPart.Validation => Validation,
            _ => Test,
        };

        /// <summary>"an image folder (train/, val/, test/)" for messages.</summary>
        public string Describe() => IsIdx
            ? "MNIST IDX files"
            : Train == Root ? "an image folder" : $"an image folder (train/{(Validation is null ? "" : ", val/")}{(Test is null ? "" : ", test/")})";
    }
}
