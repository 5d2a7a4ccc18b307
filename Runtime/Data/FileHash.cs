using System;
using System.IO;
using System.Security.Cryptography;

namespace CnnDsl.Runtime.Data
{
    /// <summary>Checksums of files, in the forms the manifests and the npm registry use.</summary>
    public static class FileHash
    {
        /// <summary>The SHA-256 of a file, lower-case hex.</summary>
        public static string Sha256(string path)
        {
            using var stream = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        /// <summary>The registry-style integrity string of a file: <c>sha512-</c> and the base64 digest.</summary>
        public static string Sha512Integrity(string path)
        {
            using var stream = File.OpenRead(path);
            return "sha512-" + Convert.ToBase64String(SHA512.HashData(stream));
        }
    }
}
