//! Press keys on a Wayland compositor by their kernel (evdev) codes, as a
//! real remote sends them: `wayland_keys KEYMAP_FILE CODE...`.
//!
//! A `zwp_virtual_keyboard_v1` client (sway has the protocol) that uploads
//! the given XKB keymap, normally the standard evdev one from
//! `xkbcli compile-keymap`. `wtype` cannot test physical codes: it uploads
//! a keymap of its own and renumbers the keys. Each code is pressed and
//! released; the first key after a new virtual keyboard may arrive as a
//! release only, so a throwaway key (a Shift tap) goes first.

use std::io::{Seek as _, Write as _};
use std::os::fd::AsFd as _;
use std::time::Duration;

use wayland_client::protocol::{wl_registry, wl_seat};
use wayland_client::{Connection, Dispatch, QueueHandle, delegate_noop};
use wayland_protocols_misc::zwp_virtual_keyboard_v1::client::{
    zwp_virtual_keyboard_manager_v1::ZwpVirtualKeyboardManagerV1,
    zwp_virtual_keyboard_v1::ZwpVirtualKeyboardV1,
};

#[derive(Default)]
struct State {
    seat: Option<wl_seat::WlSeat>,
    manager: Option<ZwpVirtualKeyboardManagerV1>,
}

impl Dispatch<wl_registry::WlRegistry, ()> for State {
    fn event(
        state: &mut Self,
        registry: &wl_registry::WlRegistry,
        event: wl_registry::Event,
        _: &(),
        _: &Connection,
        qh: &QueueHandle<Self>,
    ) {
        if let wl_registry::Event::Global {
            name, interface, ..
        } = event
        {
            match interface.as_str() {
                "wl_seat" if state.seat.is_none() => {
                    state.seat = Some(registry.bind(name, 1, qh, ()));
                }
                "zwp_virtual_keyboard_manager_v1" => {
                    state.manager = Some(registry.bind(name, 1, qh, ()));
                }
                _ => {}
            }
        }
    }
}

impl Dispatch<wl_seat::WlSeat, ()> for State {
    fn event(
        _: &mut Self,
        _: &wl_seat::WlSeat,
        _: wl_seat::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
    }
}

delegate_noop!(State: ignore ZwpVirtualKeyboardManagerV1);
delegate_noop!(State: ignore ZwpVirtualKeyboardV1);

const KEY_LEFTSHIFT: u32 = 42;

fn main() {
    let mut args = std::env::args().skip(1);
    let keymap_path = args
        .next()
        .expect("usage: wayland_keys KEYMAP_FILE CODE...");
    let codes: Vec<u32> = args
        .map(|a| a.parse().expect("key codes are numbers"))
        .collect();
    let mut keymap = std::fs::read(&keymap_path).expect("the keymap file");
    keymap.push(0);

    let conn = Connection::connect_to_env().expect("a Wayland display (WAYLAND_DISPLAY)");
    let mut queue = conn.new_event_queue();
    let qh = queue.handle();
    conn.display().get_registry(&qh, ());
    let mut state = State::default();
    queue.roundtrip(&mut state).unwrap();
    let seat = state.seat.clone().expect("the compositor has a seat");
    let manager = state
        .manager
        .clone()
        .expect("the compositor offers zwp_virtual_keyboard_manager_v1");
    let keyboard = manager.create_virtual_keyboard(&seat, &qh, ());

    let mut file = tempfile::tempfile().unwrap();
    file.write_all(&keymap).unwrap();
    file.flush().unwrap();
    file.rewind().unwrap();
    // WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1
    keyboard.keymap(1, file.as_fd(), keymap.len() as u32);
    queue.roundtrip(&mut state).unwrap();

    let mut time = 1u32;
    let mut tap = |code: u32| {
        for pressed in [1, 0] {
            keyboard.key(time, code, pressed);
            time += 10;
            queue.roundtrip(&mut state).unwrap();
            std::thread::sleep(Duration::from_millis(60));
        }
    };
    tap(KEY_LEFTSHIFT);
    for code in codes {
        tap(code);
        std::thread::sleep(Duration::from_millis(250));
    }
    keyboard.destroy();
    queue.roundtrip(&mut state).unwrap();
}
