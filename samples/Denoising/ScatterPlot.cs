using System.Globalization;
using System.Text;

namespace MLGated.Samples.Denoising;

/// <summary>A minimal SVG scatter plot: layers of points, each in its own colour, over a fixed square window.</summary>
internal sealed class ScatterPlot(string title, double min, double max)
{
    private const int Size = 480;
    private readonly StringBuilder _body = new();
    private readonly List<(string Label, string Colour)> _legend = [];

    public void Add(string label, string colour, IEnumerable<(double X, double Y)> points, double radius = 1.6)
    {
        _legend.Add((label, colour));
        foreach ((double x, double y) in points)
        {
            _body.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Scale(x):0.#}\" cy=\"{Size - Scale(y):0.#}\" r=\"{radius}\" fill=\"{colour}\" fill-opacity=\"0.6\"/>");
        }
    }

    public void Save(string path)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Size}\" height=\"{Size + 40}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Size}\" height=\"{Size + 40}\" fill=\"white\"/><text x=\"8\" y=\"{Size + 16}\">{title}</text>");
        for (int i = 0; i < _legend.Count; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{14 + i * 150}\" cy=\"{Size + 30}\" r=\"4\" fill=\"{_legend[i].Colour}\"/><text x=\"{22 + i * 150}\" y=\"{Size + 34}\">{_legend[i].Label}</text>");
        }

        svg.Append(_body).Append("</svg>");
        File.WriteAllText(path, svg.ToString());
    }

    private double Scale(double v) => (v - min) / (max - min) * Size;
}
