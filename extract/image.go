package extract

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // decoders for leaked images
	_ "image/jpeg"
	_ "image/png"
	"io"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// maxPixels bounds an image's size before it is decoded: a small file
// may claim a huge canvas.
const maxPixels = 80_000_000

// imageFormat names the image format of raw from its first bytes, or "".
func imageFormat(raw []byte) string {
	switch {
	case bytes.HasPrefix(raw, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(raw, []byte("\xff\xd8\xff")):
		return "jpeg"
	case bytes.HasPrefix(raw, []byte("II*\x00")), bytes.HasPrefix(raw, []byte("MM\x00*")):
		return "tiff"
	case bytes.HasPrefix(raw, []byte("GIF87a")), bytes.HasPrefix(raw, []byte("GIF89a")):
		return "gif"
	case len(raw) >= 12 && string(raw[:4]) == "RIFF" && string(raw[8:12]) == "WEBP":
		return "webp"
	case bytes.HasPrefix(raw, []byte("BM")) && len(raw) >= 26:
		return "bmp"
	}
	return ""
}

// isHEIF reports whether raw is a HEIF container (HEIC or AVIF photos),
// which Go cannot decode.
func isHEIF(raw []byte) bool {
	if len(raw) < 12 || string(raw[4:8]) != "ftyp" {
		return false
	}
	switch string(raw[8:12]) {
	case "heic", "heix", "hevc", "heim", "heis", "hevm", "hevs", "mif1", "msf1", "avif", "avis":
		return true
	}
	return false
}

// image reads a photo or screenshot of a page by OCR.
func (x *Extractor) image(ctx context.Context, raw []byte) (*Result, error) {
	img, err := decodeImage(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	if o := jpegOrientation(raw); o > 1 {
		img = orient(img, o)
	}
	o, err := x.ocr(ctx, "", img, 0)
	if err != nil {
		return nil, err
	}
	res := &Result{Text: o.text, Format: FormatImage, Pages: 1, OCRPages: 1, Confidence: o.confidence}
	if o.angle != 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("page deskewed by %.1f°", o.angle))
	}
	return res, nil
}

// decodeImage decodes an image after checking its size, as gray.
func decodeImage(r io.ReadSeeker) (*image.Gray, error) {
	cfg, format, err := image.DecodeConfig(r)
	if err != nil {
		return nil, &Error{fmt.Sprintf("the image could not be decoded: %v", err)}
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
		return nil, &Error{fmt.Sprintf("the %s image is %d×%d pixels; telltale reads images up to %d megapixels (hint: crop or scale it down)", format, cfg.Width, cfg.Height, maxPixels/1_000_000)}
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(r)
	if err != nil {
		return nil, &Error{fmt.Sprintf("the %s image could not be decoded: %v", format, err)}
	}
	if g, ok := img.(*image.Gray); ok && g.Rect.Min == (image.Point{}) {
		return g, nil
	}
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(g, g.Bounds(), img, b.Min, draw.Src)
	return g, nil
}

// jpegOrientation returns the EXIF orientation (1–8) a JPEG declares, or
// 0: phones store a photo as the sensor saw it and say how to turn it.
func jpegOrientation(raw []byte) int {
	if !bytes.HasPrefix(raw, []byte("\xff\xd8")) {
		return 0
	}
	for i := 2; i+4 <= len(raw); {
		if raw[i] != 0xff {
			return 0
		}
		marker := raw[i+1]
		if marker == 0xd8 || marker >= 0xd0 && marker <= 0xd7 || marker == 0x01 {
			i += 2
			continue
		}
		if marker == 0xda || marker == 0xd9 { // image data: no more headers
			return 0
		}
		n := int(binary.BigEndian.Uint16(raw[i+2:]))
		if n < 2 || i+2+n > len(raw) {
			return 0
		}
		seg := raw[i+4 : i+2+n]
		if marker == 0xe1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return exifOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 0
}

// exifOrientation reads tag 0x0112 of a TIFF-structured EXIF block's
// first directory.
func exifOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 0
	}
	n := int(bo.Uint16(t[off:]))
	for k := 0; k < n; k++ {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 0
		}
		if bo.Uint16(t[e:]) == 0x0112 {
			if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 0
		}
	}
	return 0
}

// orient turns an image upright by its EXIF orientation. Mirrored
// orientations (2, 4, 5, 7) are turned as their unmirrored neighbours:
// a mirrored page cannot be read anyway.
func orient(g *image.Gray, o int) *image.Gray {
	b := g.Bounds()
	w, h := b.Dx(), b.Dy()
	var out *image.Gray
	switch o {
	case 3, 4: // 180°
		out = image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				out.Pix[(h-1-y)*out.Stride+w-1-x] = g.Pix[y*g.Stride+x]
			}
		}
	case 6, 5: // turn 90° clockwise
		out = image.NewGray(image.Rect(0, 0, h, w))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				out.Pix[x*out.Stride+h-1-y] = g.Pix[y*g.Stride+x]
			}
		}
	case 8, 7: // turn 90° counter-clockwise
		out = image.NewGray(image.Rect(0, 0, h, w))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				out.Pix[(w-1-x)*out.Stride+y] = g.Pix[y*g.Stride+x]
			}
		}
	default:
		return g
	}
	return out
}
