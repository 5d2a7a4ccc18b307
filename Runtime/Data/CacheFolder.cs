using System;
using System.IO;

namespace CnnDsl.Runtime.Data
{
    /// <summary>Where downloaded packages are kept between runs.</summary>
    public static class CacheFolder
    {
        /// <summary>
        /// The cache used when none is given: <c>$CNNDSL_CACHE</c> if set, else
        /// <c>$XDG_CACHE_HOME/cnndsl</c>, else <c>~/.cache/cnndsl</c> (on Windows
        /// <c>%LOCALAPPDATA%\cnndsl</c>).
        /// </summary>
        public static string Default()
        {
            var explicitCache = Environment.GetEnvironmentVariable("CNNDSL_CACHE");
            if (!string.IsNullOrEmpty(explicitCache)) return explicitCache;
            if (OperatingSystem.IsWindows())
            {
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "cnndsl");
            }

            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (!string.IsNullOrEmpty(xdg)) return Path.Combine(xdg, "cnndsl");
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "cnndsl");
        }
    }
}
