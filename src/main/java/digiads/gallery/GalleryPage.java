package digiads.gallery;

import java.util.List;

/** The gallery's answer: recent images, newest first. */
public record GalleryPage(List<GalleryImage> images) {
}
