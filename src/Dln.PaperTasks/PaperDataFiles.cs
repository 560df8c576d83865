namespace DeepLanguageNetworks.Paper;

/// <summary>Where the paper's data files come from: a folder laid out like <c>samples/datasets</c>, or the package itself.</summary>
internal abstract class PaperDataFiles
{
    /// <summary>The BBH and Ordered-Prompt files embedded in this assembly (MIT); Leopard is not among them.</summary>
    public static PaperDataFiles Embedded { get; } = new EmbeddedFiles();

    public static PaperDataFiles Folder(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        return Directory.Exists(root)
            ? new FolderFiles(root)
            : throw new DirectoryNotFoundException(
                $"Datasets folder \"{root}\" does not exist. Pass the folder that holds bbh/, ordered-prompt/ and leopard/ (in the Dln repository: samples/datasets).");
    }

    /// <summary>The bytes of a file and the name it goes by in errors (a path, or the path inside the package).</summary>
    public abstract (ReadOnlyMemory<byte> Bytes, string Source) Read(TaskDefinition task, params string[] parts);

    private sealed class FolderFiles(string root) : PaperDataFiles
    {
        public override (ReadOnlyMemory<byte> Bytes, string Source) Read(TaskDefinition task, params string[] parts)
        {
            var path = Path.Combine([root, .. parts]);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(
                    $"Task {task.Id} ({task.Family}) needs the file \"{path}\", which does not exist. The datasets folder must be laid out like samples/datasets.",
                    path);
            }

            return (DataSource.ReadFile(path), path);
        }
    }

    private sealed class EmbeddedFiles : PaperDataFiles
    {
        public override (ReadOnlyMemory<byte> Bytes, string Source) Read(TaskDefinition task, params string[] parts)
        {
            var name = string.Join('/', parts);
            using var stream = typeof(PaperDataFiles).Assembly.GetManifestResourceStream(name);
            if (stream is null)
            {
                throw new FileNotFoundException(
                    task.Family == DatasetFamily.Leopard
                        ? $"Task {task.Id} (Leopard) is not in the Dln.PaperTasks package: the Leopard data has no licence, so it is never packed. Pass a folder that holds leopard/{task.Id}/{task.Id}_eval.json: PaperDatasets.Load(\"{task.Id}\", datasetsRoot) (in the Dln repository: samples/datasets)."
                        : $"Task {task.Id} ({task.Family}) has no data in the Dln.PaperTasks package (looked for \"{name}\"). Pass a datasets folder: PaperDatasets.Load(task, datasetsRoot).",
                    name);
            }

            return (DataSource.ReadStream(stream), name);
        }
    }
}
