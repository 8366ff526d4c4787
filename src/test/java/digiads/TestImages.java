package digiads;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/** Real, small images made with ImageIO for the tests, and real photos. */
public final class TestImages {

    private TestImages() {
    }

    /** A real photo of src/test/resources/photos (its README says what each shows and its licence). */
    public static byte[] photo(String name) {
        try {
            return java.nio.file.Files.readAllBytes(java.nio.file.Path.of("src/test/resources/photos", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] jpeg() {
        return image("jpg");
    }

    public static byte[] png() {
        return image("png");
    }

    public static byte[] gif() {
        return image("gif");
    }

    /** An image of one colour (0xRRGGBB) all over. */
    public static byte[] uniform(int width, int height, int rgb, String format) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, width, height);
        g.dispose();
        return encode(image, format);
    }

    /** An image of uniform random noise: every pixel's channels drawn from 0..255. */
    public static byte[] noise(int width, int height, java.util.Random random, String format) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return encode(image, format);
    }

    private static byte[] image(String format) {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(30, 120, 200));
        g.fillRect(0, 0, 64, 48);
        g.setColor(Color.ORANGE);
        g.fillOval(16, 8, 32, 32);
        g.dispose();
        return encode(image, format);
    }

    private static byte[] encode(BufferedImage image, String format) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
