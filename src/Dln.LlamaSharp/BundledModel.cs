using System.Security.Cryptography;

namespace DeepLanguageNetworks.LlamaSharp;

/// <summary>
/// The stories260K model embedded in this assembly (Karpathy's llama2.c TinyStories model, 292,800 parameters, MIT;
/// provenance in Model/SOURCE.md). llama.cpp only loads models from files, so it is written to a cache file once.
/// </summary>
internal static class BundledModel
{
    public const string FileName = "stories260K.gguf";
    public const long SizeInBytes = 1_185_376;
    public const string Sha256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";
    private const string ResourceName = "DeepLanguageNetworks.LlamaSharp.stories260K.gguf";

    private static readonly Lock Gate = new();

    /// <summary>The folder the model is extracted to when no other is given: a per-version folder under the temp directory.</summary>
    public static string DefaultDirectory => Path.Combine(Path.GetTempPath(), "dln", "models", Sha256[..16]);

    /// <summary>Returns the path of an intact copy of the bundled model, writing it first if needed.</summary>
    /// <param name="directory">Where to put it; <see langword="null"/> for <see cref="DefaultDirectory"/>.</param>
    /// <returns>The full path of the model file.</returns>
    /// <exception cref="IOException">The file could not be written or does not match the embedded model.</exception>
    public static string EnsureExtracted(string? directory = null)
    {
        var folder = Path.GetFullPath(directory ?? DefaultDirectory);
        var path = Path.Combine(folder, FileName);
        lock (Gate)
        {
            if (IsIntact(path))
            {
                return path;
            }

            Directory.CreateDirectory(folder);

            // Write under a unique name and rename: a reader (another process, a parallel test run) never sees a
            // half-written model, and the rename replaces a damaged copy. The hash check also rejects a file planted
            // in a shared temp folder.
            var temporaryPath = Path.Combine(folder, $"{FileName}.{Guid.NewGuid():N}.tmp");
            try
            {
                using (var resource = OpenResource())
                using (var file = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    resource.CopyTo(file);
                    file.Flush(flushToDisk: true);
                }

                if (!IsIntact(temporaryPath))
                {
                    throw new IOException($"Writing the bundled model to '{temporaryPath}' produced a file that does not match the embedded model ({SizeInBytes} bytes, sha256 {Sha256}). Is the disk full?");
                }

                try
                {
                    File.Move(temporaryPath, path, overwrite: true);
                }
                catch (IOException) when (IsIntact(path))
                {
                    // Another process put an intact copy there first and holds it open (Windows refuses the rename).
                }
            }
            finally
            {
                if (File.Exists(temporaryPath))
                {
                    File.Delete(temporaryPath);
                }
            }

            return path;
        }
    }

    private static Stream OpenResource() =>
        typeof(BundledModel).Assembly.GetManifestResourceStream(ResourceName)
        ?? throw new InvalidOperationException($"The assembly {typeof(BundledModel).Assembly.GetName().Name} does not contain the embedded resource '{ResourceName}'; it was built without Model/{FileName}.");

    private static bool IsIntact(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length != SizeInBytes)
            {
                return false;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return Convert.ToHexStringLower(SHA256.HashData(stream)) == Sha256;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
