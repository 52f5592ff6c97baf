using ScottPlot;

namespace MLGated.Lab;

/// <summary>Square grayscale images (intensities in [0, 1], ink dark) tiled in rows and saved as a PNG.</summary>
public static class ImageGrid
{
    /// <summary>Saves <paramref name="rows"/>[r] — <paramref name="columns"/> images of side × side pixels each, row-major — as row r of the grid.</summary>
    /// <param name="path">The PNG to write.</param>
    /// <param name="rows">One array per grid row, holding its images one after another.</param>
    /// <param name="columns">Images per row.</param>
    /// <param name="side">Image side in pixels.</param>
    /// <param name="title">Shown above the grid.</param>
    public static void SavePng(string path, IReadOnlyList<float[]> rows, int columns, int side, string title)
    {
        const int gap = 2;
        int height = rows.Count * (side + gap), width = columns * (side + gap);
        int scale = Math.Max(4, (720 + width - 1) / width);
        var shades = new double[height, width];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                shades[y, x] = 1;
            }
        }

        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                for (int p = 0; p < side * side; p++)
                {
                    shades[r * (side + gap) + p / side, c * (side + gap) + p % side] = 1 - Math.Clamp(rows[r][(c * side * side) + p], 0, 1);
                }
            }
        }

        var plot = new Plot();
        plot.Add.Heatmap(shades).Colormap = new ScottPlot.Colormaps.Grayscale();
        plot.Axes.Frameless();
        plot.HideGrid();
        plot.Title(title);
        plot.SavePng(path, width * scale, height * scale + 40);
    }
}
