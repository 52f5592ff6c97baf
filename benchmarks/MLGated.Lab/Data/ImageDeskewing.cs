
namespace MLGated.Lab;

/// <summary>
/// Moment-based deskewing of a grayscale image, the standard MNIST preprocessing: estimate the skew
/// α = cov(x, y) / var(y) from the image's second moments, then shear x by α about the centre of mass
/// so the stroke stands upright, with bilinear resampling.
/// </summary>
public static class ImageDeskewing
{
    /// <summary>Writes the deskewed image into <paramref name="destination"/>.</summary>
    /// <param name="image">Row-major pixels, [height × width], non-negative intensities.</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="destination">Receives [height × width] pixels; must not overlap <paramref name="image"/>.</param>
    public static void Deskew(ReadOnlySpan<float> image, int width, int height, Span<float> destination)
    {
        if (image.Length != width * height || destination.Length != width * height)
        {
            throw new ArgumentException($"A {width}×{height} image has {width * height} pixels; got {image.Length} in and {destination.Length} out.");
        }

        double mass = 0, mx = 0, my = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double v = image[y * width + x];
                mass += v;
                mx += x * v;
                my += y * v;
            }
        }

        if (mass <= 0)
        {
            image.CopyTo(destination);
            return;
        }

        mx /= mass;
        my /= mass;
        double cxy = 0, cyy = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double v = image[y * width + x];
                cxy += (x - mx) * (y - my) * v;
                cyy += (y - my) * (y - my) * v;
            }
        }

        double alpha = cyy > 0 ? cxy / cyy : 0;

        // Output pixel (x, y) samples the input at x' = x + α·(y − cy) + (mx − cx), y' = y: the shear
        // removes the slant, and the shift moves the centre of mass to the image centre.
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double sx = x + alpha * (y - cy) + (mx - cx);
                destination[y * width + x] = (float)SampleRow(image, width, y + (my - cy), sx, height);
            }
        }
    }

    private static double SampleRow(ReadOnlySpan<float> image, int width, double sy, double sx, int height)
    {
        int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
        double fx = sx - x0, fy = sy - y0;
        return (1 - fy) * ((1 - fx) * Pixel(image, width, height, x0, y0) + fx * Pixel(image, width, height, x0 + 1, y0))
             + fy * ((1 - fx) * Pixel(image, width, height, x0, y0 + 1) + fx * Pixel(image, width, height, x0 + 1, y0 + 1));
    }

    private static double Pixel(ReadOnlySpan<float> image, int width, int height, int x, int y)
        => (uint)x < (uint)width && (uint)y < (uint)height ? image[y * width + x] : 0;
}
