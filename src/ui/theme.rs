//! Sizes, colours, fonts, the safe area and scaling: the whole look in one place.
//!
//! Every size here is written for a 1920×1080 window and scaled with the
//! window height, so 720p, 1080p and 4K look the same (kiosk-ux.md).

use iced::widget::{button, container};
use iced::{Border, Color, Font, Padding, Shadow, Size, Theme, font};

/// The bundled faces, set as the default so every machine renders alike.
pub const SANS_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub const SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
/// The user code's face: 0/O and 1/I/l are unmistakable in DejaVu Sans Mono.
pub const MONO_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansMono-Bold.ttf");

pub const BODY: Font = Font::with_name("DejaVu Sans");
pub const BOLD: Font = Font {
    weight: font::Weight::Bold,
    ..BODY
};
pub const CODE: Font = Font {
    weight: font::Weight::Bold,
    ..Font::with_name("DejaVu Sans Mono")
};

/// The font files to load, for the app and for the screenshot tests.
pub fn fonts() -> Vec<std::borrow::Cow<'static, [u8]>> {
    vec![SANS_REGULAR.into(), SANS_BOLD.into(), MONO_BOLD.into()]
}

pub const BACKGROUND: Color = Color::from_rgb8(0x10, 0x14, 0x1a);
pub const SURFACE: Color = Color::from_rgb8(0x22, 0x29, 0x33);
pub const TEXT: Color = Color::from_rgb8(0xf4, 0xf6, 0xf8);
pub const MUTED: Color = Color::from_rgb8(0xb8, 0xc2, 0xcc);
pub const ACCENT: Color = Color::from_rgb8(0x5c, 0xb8, 0xff);
pub const SUCCESS: Color = Color::from_rgb8(0x4c, 0xd1, 0x7a);
pub const WARNING: Color = Color::from_rgb8(0xff, 0xb3, 0x3d);
pub const DANGER: Color = Color::from_rgb8(0xff, 0x6b, 0x6b);
/// The focused element: a white fill with dark text, plus an accent ring.
pub const FOCUS_FILL: Color = Color::WHITE;
pub const FOCUS_TEXT: Color = Color::from_rgb8(0x0a, 0x0d, 0x12);

pub fn theme() -> Theme {
    Theme::custom(
        "device-signin",
        iced::theme::Palette {
            background: BACKGROUND,
            text: TEXT,
            primary: ACCENT,
            success: SUCCESS,
            warning: WARNING,
            danger: DANGER,
        },
    )
}

/// Sizes for one window size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    pub size: Size,
    /// 1.0 at 1080p; from the height, but never wider than the width allows.
    pub scale: f32,
}

impl Metrics {
    pub const BASE: Size = Size::new(1920.0, 1080.0);

    pub fn new(size: Size) -> Self {
        let scale = (size.height / Self::BASE.height).min(size.width / Self::BASE.width);
        // A zero-sized window (minimised) must not give zero-sized text.
        let scale = if scale.is_finite() && scale > 0.1 {
            scale
        } else {
            0.1
        };
        Self { size, scale }
    }

    /// A 1080p length, scaled.
    pub fn px(&self, base: f32) -> f32 {
        (base * self.scale).round().max(1.0)
    }

    /// The 5 % overscan margin on every side.
    pub fn safe_area(&self) -> Padding {
        Padding {
            top: (self.size.height * 0.05).round(),
            bottom: (self.size.height * 0.05).round(),
            left: (self.size.width * 0.05).round(),
            right: (self.size.width * 0.05).round(),
        }
    }

    pub fn title(&self) -> f32 {
        self.px(52.0)
    }
    pub fn body(&self) -> f32 {
        self.px(34.0)
    }
    pub fn small(&self) -> f32 {
        self.px(29.0)
    }
    pub fn url(&self) -> f32 {
        self.px(50.0)
    }
    pub fn user_code(&self) -> f32 {
        self.px(118.0)
    }
    pub fn button_text(&self) -> f32 {
        self.px(36.0)
    }
    pub fn gap(&self) -> f32 {
        self.px(32.0)
    }
    /// The QR code's side: over 40 % of the height.
    pub fn qr_side(&self) -> f32 {
        self.px(470.0)
    }
}

/// An action button: focused ones are filled white with a thick accent ring,
/// unfocused ones are dark with a thin dim outline. No hover look: the cursor is
/// hidden and focus is app state.
pub fn action(focused: bool, m: Metrics) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |_, _| {
        if focused {
            button::Style {
                background: Some(FOCUS_FILL.into()),
                text_color: FOCUS_TEXT,
                // No glow: a shadow draws outside the widget's bounds, and
                // tiny-skia's damage tracking leaves it behind after a move.
                border: Border {
                    color: ACCENT,
                    width: m.px(8.0),
                    radius: m.px(14.0).into(),
                },
                shadow: Shadow::default(),
                snap: true,
            }
        } else {
            button::Style {
                background: Some(SURFACE.into()),
                text_color: TEXT,
                border: Border {
                    color: Color { a: 0.35, ..TEXT },
                    width: m.px(2.0),
                    radius: m.px(14.0).into(),
                },
                shadow: Shadow::default(),
                snap: true,
            }
        }
    }
}

/// The white card behind the QR code (its quiet zone is in the image).
pub fn qr_card(_: &Theme) -> container::Style {
    container::Style {
        background: Some(Color::WHITE.into()),
        ..container::Style::default()
    }
}

/// A countdown bar: the track, then the filled part.
pub fn bar_track(_: &Theme) -> container::Style {
    container::Style {
        background: Some(SURFACE.into()),
        border: Border {
            radius: 999.0.into(),
            ..Border::default()
        },
        ..container::Style::default()
    }
}

pub fn bar_fill(color: Color) -> impl Fn(&Theme) -> container::Style {
    move |_| container::Style {
        background: Some(color.into()),
        border: Border {
            radius: 999.0.into(),
            ..Border::default()
        },
        ..container::Style::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_scale_with_the_height_from_1080p() {
        let hd = Metrics::new(Size::new(1920.0, 1080.0));
        let small = Metrics::new(Size::new(1280.0, 720.0));
        let uhd = Metrics::new(Size::new(3840.0, 2160.0));
        assert_eq!(hd.scale, 1.0);
        assert_eq!(uhd.user_code(), 2.0 * hd.user_code());
        assert!((small.scale - 2.0 / 3.0).abs() < 1e-6);
        assert!(small.body() >= 22.0, "body text stays readable at 720p");
    }

    #[test]
    fn the_safe_area_is_five_percent_on_every_side() {
        let p = Metrics::new(Size::new(1920.0, 1080.0)).safe_area();
        assert_eq!((p.left, p.right, p.top, p.bottom), (96.0, 96.0, 54.0, 54.0));
    }

    #[test]
    fn a_wide_window_is_sized_by_its_width_so_nothing_overflows() {
        let m = Metrics::new(Size::new(1280.0, 1080.0));
        assert!((m.scale - 1280.0 / 1920.0).abs() < 1e-6);
    }
}
