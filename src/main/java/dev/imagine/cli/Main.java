package dev.imagine.cli;

public final class Main {
  public static void main(String[] args) {}
}
